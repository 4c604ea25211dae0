using System.Text.Json;

namespace AnnotateAnyone.Web;

/// <summary>
/// A value the API's JSON reader refuses for what it holds rather than for its kind, thrown while the body is read so
/// that the reader adds where it stood (<see cref="JsonException.Path"/>). <see cref="Member"/> names the field of the
/// object at that place when the check ran on the whole object; <see cref="UnreadableRequests"/> puts the two together.
/// </summary>
public sealed class RefusedJsonValue(string reason, string? member = null) : JsonException(reason)
{
    public string Reason { get; } = reason;

    public string? Member { get; } = member;
}
