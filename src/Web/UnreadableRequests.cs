using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace AnnotateAnyone.Web;

/// <summary>
/// Says in the API's own terms why a request could not be read. The framework's messages name .NET types
/// ("could not be converted to AnnotateAnyone.Web.Rounds.RoundsApi+NewRound", "Failed to bind parameter
/// \"Nullable&lt;JobRunStatus&gt; status\"") where a caller needs the field and what it takes ("'size' must be a whole
/// number"); the field's type is found by following the JSON path through the endpoint's body type.
/// </summary>
public static partial class UnreadableRequests
{
    /// <summary>Why <paramref name="bad"/> refused the request, for its problem details.</summary>
    public static string Explain(HttpContext context, BadHttpRequestException bad)
    {
        // The exception handler clears the request's endpoint before the problem details are written; its feature keeps it.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var body = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var options = context.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()?.Value.SerializerOptions;
        if (bad.InnerException is JsonException json)
            return body is null || options is null ? json.Message : Explain(json, body, options);
        // The framework's words for a request sent without its body ask whether a service was meant: a caller needs what to send.
        if (NoBody().IsMatch(bad.Message) && body is not null && options is not null)
            return $"The request has no body: send {Describe(body, options)} as JSON{Known(body, options)}.";
        if (UnboundParameter().Match(bad.Message) is { Success: true } unbound &&
            endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == unbound.Groups["name"].Value) is { } parameter)
            return $"'{parameter.Name}' must be {Describe(parameter.ParameterType, options: null)}, not \"{unbound.Groups["value"].Value}\".";
        return bad.Message;
    }

    /// <summary>Why a body of <paramref name="body"/> did not read, naming the field by its place in the body.</summary>
    public static string Explain(JsonException json, Type body, JsonSerializerOptions options)
    {
        // The reader stops at the end of the token it could not take: its last character, counted from 1.
        var at = json.LineNumber is { } line ? $" (line {line + 1}, near position {Math.Max(1, json.BytePositionInLine ?? 1)})" : "";
        if (json is RefusedJsonValue refused)
            return $"'{string.Join('.', new[] { Field(json.Path), refused.Member }.Where(part => part is { Length: > 0 }))}' {refused.Reason}{at}.";
        if (MissingFields().Match(json.Message) is { Success: true } missing)
        {
            // The reader's path is the object the fields are missing from: "$.spec.groups[0]" for a group left without one.
            var inside = json.Path is null or "$" ? "" : $" in '{Field(json.Path)}'";
            return $"The body leaves out {missing.Groups["names"].Value}{inside}, which {(missing.Groups["names"].Value.Contains(',') ? "are" : "is")} required.";
        }
        if (UnknownField().IsMatch(json.Message))
            return $"'{Field(json.Path)}' is not a field this request reads{Known(FieldType(json.Path, body, options, parent: true), options)}{at}.";
        if (NullNotAllowed().IsMatch(json.Message) && json.Path is not null)
            return $"'{Field(json.Path)}' must not be null: send {Describe(FieldType(json.Path, body, options, parent: false) ?? typeof(object), options)}{at}.";
        if (!json.Message.StartsWith("The JSON value could not be converted to", StringComparison.Ordinal) || json.Path is null)
            return SyntaxError().Match(json.Message) is { Success: true } syntax
                ? $"The body is not valid JSON{at}: {Syntax(syntax.Groups["reason"].Value)}"
                : json.Message;
        var expected = FieldType(json.Path, body, options, parent: false);
        var what = expected is null ? "of another kind" : Describe(expected, options);
        return json.Path == "$" ? $"The body must be {what}{at}." : $"'{Field(json.Path)}' must be {what}{at}.";
    }

    /// <summary>
    /// The reader's reason for malformed JSON in a caller's words: its own speak of reader options and modes the caller
    /// cannot change, and count lines from zero (the place is said once, counted as an editor does).
    /// </summary>
    private static string Syntax(string reason) => reason switch
    {
        _ when reason.StartsWith("Expected depth to be zero", StringComparison.Ordinal) => "it ends before an object or list it opens is closed.",
        _ when reason.Contains("trailing comma", StringComparison.Ordinal) => "a comma stands before a closing brace or bracket.",
        _ when reason.Contains("is an invalid start of a property name", StringComparison.Ordinal) => "a field's name must be in double quotes.",
        _ when reason.Contains("is invalid after a single JSON value", StringComparison.Ordinal) => "more follows the end of the body's value.",
        _ when reason.StartsWith("'/' is", StringComparison.Ordinal) => "JSON has no comments (a '/' stands outside a string).",
        _ => reason,
    };

    /// <summary>"$.filter.minWidth" as a caller wrote it: "filter.minWidth"; "$[2].values" as "[2].values".</summary>
    private static string Field(string? path) => (path ?? "$").TrimStart('$').TrimStart('.');

    /// <summary>The type the body's field at <paramref name="path"/> reads into (with <paramref name="parent"/>, the object holding it).</summary>
    private static Type? FieldType(string? path, Type body, JsonSerializerOptions options, bool parent)
    {
        var steps = PathSteps().Matches(path ?? "$").Select(m => m.Groups["name"].Success ? m.Groups["name"].Value : null).ToList();
        if (parent && steps.Count > 0) steps.RemoveAt(steps.Count - 1);
        Type? type = body;
        foreach (var step in steps)
        {
            var info = options.GetTypeInfo(Nullable.GetUnderlyingType(type!) ?? type!);
            type = step is null
                ? info.ElementType
                : info.Properties.FirstOrDefault(p => string.Equals(p.Name, step, StringComparison.OrdinalIgnoreCase))?.PropertyType;
            if (type is null) return null;
        }
        return type;
    }

    private static string Known(Type? holder, JsonSerializerOptions options) =>
        holder is not null && options.GetTypeInfo(holder) is { Kind: JsonTypeInfoKind.Object, Properties: [_, ..] properties }
            ? $"; it reads {string.Join(", ", properties.Select(p => $"'{p.Name}'"))}"
            : "";

    /// <summary>What a caller must send for a value of <paramref name="type"/>, in JSON's words.</summary>
    private static string Describe(Type type, JsonSerializerOptions? options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) return $"one of {string.Join(", ", Enum.GetNames(type))}";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(string)) return "a string";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a number";
        // The reader refuses a whole number out of the field's range with the same message as a fraction or a word.
        if (type.IsPrimitive && type.GetField("MaxValue")?.GetValue(null) is IFormattable max && type.GetField("MinValue")?.GetValue(null) is IFormattable min)
            return $"a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}";
        if (type.IsPrimitive) return "a whole number";
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return "a date and time (ISO 8601, such as 2026-01-31T12:00:00Z)";
        if (type == typeof(DateOnly)) return "a date (such as 2026-01-31)";
        if (type == typeof(Guid)) return "a GUID";
        return options?.GetTypeInfo(type) switch
        {
            { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } element } => $"a list of {Plural(Describe(element, options))}",
            { Kind: JsonTypeInfoKind.Dictionary } => "an object",
            { Kind: JsonTypeInfoKind.Object } => "an object",
            _ => "a value of another kind",
        };
    }

    private static string Plural(string one) => one switch
    {
        "a string" => "strings",
        "a number" => "numbers",
        _ when one.StartsWith("a whole number", StringComparison.Ordinal) => $"whole numbers{one["a whole number".Length..]}",
        "an object" => "objects",
        _ => $"values each {one}",
    };

    [GeneratedRegex(@"^Failed to bind parameter ""\S+ (?<name>\w+)"" from ""(?<value>.*)""\.$")]
    private static partial Regex UnboundParameter();

    [GeneratedRegex(@"(but no body was provided|was not provided from body)")]
    private static partial Regex NoBody();

    [GeneratedRegex(@"missing required properties,? including(?: the following)?: (?<names>.+?)\.?$")]
    private static partial Regex MissingFields();

    [GeneratedRegex(@"^The (constructor parameter|property or field) '.*' on type '.*' doesn't allow (getting |setting )?null values")]
    private static partial Regex NullNotAllowed();

    /// <summary>The reader's message for malformed JSON: its reason, then where, which the caller is told in its own way.</summary>
    [GeneratedRegex(@"^(?<reason>.+?)\s*Path: .*? \| LineNumber: \d+ \| BytePositionInLine: \d+\.$", RegexOptions.Singleline)]
    private static partial Regex SyntaxError();

    [GeneratedRegex(@"^The JSON property '.*' could not be mapped to any \.NET member")]
    private static partial Regex UnknownField();

    /// <summary>A JSON path's steps: property names (dotted or bracketed and quoted) and list indexes (no name).</summary>
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<name>(?:[^']|'')*)'\]|\[\d+\]")]
    private static partial Regex PathSteps();
}
