using System.Collections.Concurrent;
using System.Reflection;
using AnnotateAnyone.Data.Persistence;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;

namespace AnnotateAnyone.Web;

/// <summary>
/// Reads an endpoint's address the way a person writes it, and refuses what the endpoint would silently ignore.
/// <list type="bullet">
/// <item>On the HTTP API, a name the endpoint does not read (<c>/api/audit?subject=...</c> for <c>subjectId</c>) is refused,
/// listing the names it reads: minimal APIs pass over unknown names, and the answer, unfiltered, looks like the filtered one.</item>
/// <item>A choice is read whatever its case: <c>/api/images?status=verified</c> as <c>status=Verified</c>. Minimal APIs
/// bind enums from the query with a case-sensitive parse, while the same names in a JSON body are read in any case, and
/// people type addresses by hand. The value is rewritten to the name's own spelling before the endpoint binds it; a
/// value that is no name in any case is left for the binder to refuse, listing the names.</item>
/// <item>The binder also takes any number for a choice: a choice's number is read as its name, and a number that is no
/// choice's is refused (<c>?status=99</c> would otherwise list nothing, as if nothing had that status).</item>
/// <item>A value holding the NUL character (<c>%00</c>) is refused (see <see cref="TextWithoutNul"/>).</item>
/// </list>
/// </summary>
public static class QueryFields
{
    private static readonly ConcurrentDictionary<MethodInfo, IReadOnlyList<(string Name, Type Type)>> FieldsByHandler = new();

    public static IApplicationBuilder UseQueryFields(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>() is { } handler && context.Request.QueryString.HasValue
            && Read(context.Request, FieldsByHandler.GetOrAdd(handler, QueryParameters)) is { } refusal)
        {
            await Problems.BadRequest(refusal).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    /// <summary>Rewrites the request's choices to their names' spelling; returns why the query cannot be read, or null.</summary>
    private static string? Read(HttpRequest request, IReadOnlyList<(string Name, Type Type)> fields)
    {
        // Pages and the dashboard carry names of their own (a sign-in's return address); only the API is refused.
        if (request.Path.StartsWithSegments("/api") && request.Query.Keys.FirstOrDefault(key => !fields.Any(f => string.Equals(f.Name, key, StringComparison.OrdinalIgnoreCase))) is { } unknown)
            return fields.Count == 0
                ? $"'{unknown}' is not read here: {request.Method} {request.Path} takes nothing in its query."
                : $"'{unknown}' is not read here; {request.Method} {request.Path} reads {string.Join(", ", fields.Select(f => $"'{f.Name}'"))}.";
        if (request.Query.FirstOrDefault(given => given.Value.Any(PostgresText.CannotStore)) is { Key: { } withNul })
            return $"'{withNul}' {TextWithoutNul.Refusal}.";
        var query = new Dictionary<string, StringValues>(request.Query, StringComparer.OrdinalIgnoreCase);
        var changed = false;
        foreach (var (name, type) in fields.Where(f => f.Type.IsEnum && !f.Type.IsDefined(typeof(FlagsAttribute), false)))
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

    /// <summary>
    /// The handler's parameters that a value in the address can fill, as minimal APIs bind them: strings, numbers,
    /// choices and other types parsed from text (each alone, in a list or optional); route values count too, since the
    /// binder reads a name from the query when the route has none.
    /// </summary>
    private static IReadOnlyList<(string Name, Type Type)> QueryParameters(MethodInfo handler) =>
        [.. handler.GetParameters()
            .Select(p => (p.Name, Type: Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
            .Where(p => p.Name is not null && FromText(p.Type.IsArray ? p.Type.GetElementType()! : p.Type))
            .Select(p => (p.Name!, p.Type))];

    private static bool FromText(Type type) =>
        type == typeof(string) || type.IsPrimitive || type.IsEnum
        || type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()]) is not null;
}
