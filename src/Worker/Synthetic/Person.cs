namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>
/// Everything sampled about one generated picture, keyed like the default taxonomy ("group.attribute").
/// <see cref="Values"/> is the truth before framing; the generator drops the groups that end up out of view.
/// </summary>
public sealed class Person
{
    public Dictionary<string, string[]> Values { get; } = new();

    public string this[string key] => Values.TryGetValue(key, out var value) ? value[0] : "none";

    public bool Has(string group) => this[$"{group}.type"] != "none";

    public void Set(string key, params string[] values) => Values[key] = values;
}
