namespace PluggableEcho.Host.Config;

/// <summary>The framings as the config and the command line write them.</summary>
internal static class FramingNames
{
    public static readonly IReadOnlyList<(string Name, Framing Framing)> All =
        [("line", Framing.Line), ("raw", Framing.Raw), ("length-prefixed", Framing.LengthPrefixed)];

    /// <summary>For messages: <c>line, raw, length-prefixed</c>.</summary>
    public static string Listed { get; } = string.Join(", ", All.Select(f => f.Name));

    /// <summary>Its name, as a config writes it: <c>length-prefixed</c>.</summary>
    public static string Of(Framing framing) => All.First(f => f.Framing == framing).Name;

    /// <summary>One of <see cref="All"/>'s names, spelled exactly so.</summary>
    public static Framing? Parse(string text) =>
        All.FirstOrDefault(f => f.Name == text) is { Name: not null } known ? known.Framing : null;
}
