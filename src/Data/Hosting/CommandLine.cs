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

    /// <summary>Each value given after <paramref name="name"/>, in order (an option given more than once has several).</summary>
    public static IReadOnlyList<string> Values(string[] args, string name) =>
        args.Select((arg, i) => (arg, i)).Where(a => a.arg == name && a.i + 1 < args.Length).Select(a => args[a.i + 1]).ToList();

    /// <summary>The option's value.</summary>
    /// <exception cref="ArgumentException">The option is not given.</exception>
    public static string Required(string[] args, string name) =>
        Values(args, name).FirstOrDefault() ?? throw new ArgumentException($"{name} is required.");

    /// <summary>The option's whole number from <paramref name="min"/> to <paramref name="max"/>; null when it is not given.</summary>
    /// <exception cref="ArgumentException">It is given but is no whole number in that range (<paramref name="otherwise"/> says what else to do).</exception>
    public static int? WholeNumber(string[] args, string name, int min, int max, string? otherwise = null)
    {
        if (Values(args, name).FirstOrDefault() is not { } text) return null;
        if (int.TryParse(text, out var number) && number >= min && number <= max) return number;
        throw new ArgumentException($"{name} must be a whole number from {min:N0} to {max:N0}{(otherwise is null ? "" : $" ({otherwise})")}, not '{text}'.");
    }
}
