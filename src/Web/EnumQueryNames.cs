using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;

namespace AnnotateAnyone.Web;

/// <summary>
/// Reads a choice in the address whatever its case: <c>/api/images?status=verified</c> as <c>status=Verified</c>.
/// Minimal APIs bind enums from the query with a case-sensitive parse, while the same names in a JSON body are read in
/// any case, and people type addresses by hand. The value is rewritten to the name's own spelling before the endpoint
/// binds it; a value that is no name in any case is left for the binder to refuse, listing the names. The binder also
/// takes any number: a choice's number is read as its name, and a number that is no choice's is refused here
/// (<c>?status=99</c> would otherwise list nothing, as if nothing had that status).
/// </summary>
public static class EnumQueryNames
{
    private static readonly ConcurrentDictionary<MethodInfo, IReadOnlyList<(string Name, Type Enum)>> ChoicesByHandler = new();

    public static IApplicationBuilder UseEnumQueryNames(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>() is { } handler && context.Request.QueryString.HasValue
            && Canonicalise(context.Request, ChoicesByHandler.GetOrAdd(handler, EnumParameters)) is { } refusal)
        {
            await Problems.BadRequest(refusal).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    /// <summary>Rewrites the request's choices to their names' spelling; returns why one cannot be read, or null.</summary>
    private static string? Canonicalise(HttpRequest request, IReadOnlyList<(string Name, Type Enum)> choices)
    {
        if (choices.Count == 0) return null;
        var query = new Dictionary<string, StringValues>(request.Query, StringComparer.OrdinalIgnoreCase);
        var changed = false;
        foreach (var (name, type) in choices)
        {
            if (!query.TryGetValue(name, out var given) || given.Count != 1 || given[0] is not { } text) continue;
            var spelt = Enum.GetNames(type).FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase));
            if (spelt is null && long.TryParse(text.Trim(), out var number))
            {
                var value = Enum.ToObject(type, number);
                if (!Enum.IsDefined(type, value)) return $"'{name}' must be one of {string.Join(", ", Enum.GetNames(type))}, not \"{text}\".";
                spelt = Enum.GetName(type, value);
            }
            if (spelt is null || spelt == text) continue;
            query[name] = spelt;
            changed = true;
        }
        if (changed) request.QueryString = new QueryBuilder(query).ToQueryString();
        return null;
    }

    /// <summary>The handler's parameters that take an enum (or nothing) from the query.</summary>
    private static IReadOnlyList<(string Name, Type Enum)> EnumParameters(MethodInfo handler) =>
        [.. handler.GetParameters()
            .Select(p => (p.Name, Type: Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
            // A set of flags is any sum of its numbers, not one of them.
            .Where(p => p.Type.IsEnum && !p.Type.IsDefined(typeof(FlagsAttribute), false) && p.Name is not null)
            .Select(p => (p.Name!, p.Type))];
}
