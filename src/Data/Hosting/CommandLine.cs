namespace AnnotateAnyone.Data.Hosting;

/// <summary>What the hosts' command lines hold besides settings.</summary>
public static class CommandLine
{
    /// <summary>
    /// Whether the first argument names a command rather than a setting. Settings come as "--Key value", "--Key=value",
    /// "/Key value" or "Key=value"; any other word is a command, so a mistyped one ("migarte") is refused instead of
    /// starting the server as if nothing had been asked.
    /// </summary>
    public static bool NamesCommand(string[] args) =>
        args is [var first, ..] && !first.StartsWith('-') && !first.StartsWith('/') && !first.Contains('=');
}
