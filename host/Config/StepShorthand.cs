using System.Globalization;
using PluggableEcho.Host.Plugins;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>
/// The step form <c>- name: value</c>, for any plugin. A step mapping without <c>type:</c> is
/// short for <c>type: name</c> with the whole mapping (less <c>on_error</c>) as its options when
/// one of its keys is <c>name</c> or <c>name_file</c>, spelled exactly so, where <c>name</c> is a
/// loaded transform that takes that key as an option. In this form, an option whose key ends in
/// <c>_file</c> is a path relative to the config's folder, and when the transform takes
/// <c>first_line</c>, it is set to the config line on which the <c>name:</c> text starts, so that
/// the plugin can show positions in that text as config lines. The Script plugin's
/// <c>- script: |</c> and <c>- script_file: path</c> are this form.
/// </summary>
internal static class StepShorthand
{
    private const string FileSuffix = "_file";
    private const string FirstLine = "first_line";

    /// <summary>The loaded transform that the step's keys name.</summary>
    /// <param name="unknown">When they name none: the transform that its first key would name, to
    /// be reported unknown. Null when the step reads as a long form that lacks its <c>type:</c>
    /// (it has <c>options:</c>, or no key at all), or names several: the problems are reported.</param>
    public static TransformRegistration? TransformOf(
        YamlMappingNode step, IReadOnlyDictionary<string, TransformRegistration> transforms, ConfigProblems problems, out string? unknown)
    {
        unknown = null;
        TransformRegistration[] named = [.. step.Children.Keys
            .Select(key => NamedBy(YamlValues.Key(key), transforms))
            .OfType<TransformRegistration>()
            .Distinct()];
        switch (named.Length)
        {
            case 1:
                return named[0];
            case > 1:
                problems.Add(step.Start, $"this step's keys name more than one transform ({string.Join(", ", named.Select(r => r.Name))}); say which with 'type:'");
                return null;
        }

        if (step.Children.Count == 0 || step.Children.ContainsKey("options"))
        {
            _ = StepReader.ReadLongForm(step, problems);
        }
        else
        {
            unknown = WithoutFileSuffix(YamlValues.Key(step.Children.First().Key));
        }

        return null;
    }

    /// <summary>The step's keys as the transform's options: <c>_file</c> paths made absolute, and
    /// <c>first_line</c> set when the transform takes it and the step writes its text.</summary>
    public static YamlMappingNode OptionsOf(YamlMappingNode step, TransformRegistration transform, string configFolder)
    {
        var options = new YamlMappingNode();
        foreach ((YamlNode key, YamlNode value) in step.Children)
        {
            // The key node is kept as it is: mistakes about the file are reported at its position.
            options.Add(key, NamesAFile(YamlValues.Key(key)) && value is YamlScalarNode { Value: { Length: > 0 } path }
                ? new YamlScalarNode(Path.GetFullPath(Path.Combine(configFolder, path)))
                : value);
        }

        if (Takes(transform, FirstLine) && step.Children.TryGetValue(transform.Name, out YamlNode? text))
        {
            // A block scalar (| or >) starts on the line after its indicator.
            bool block = text is YamlScalarNode { Style: ScalarStyle.Literal or ScalarStyle.Folded };
            long line = text.Start.Line + (block ? 1 : 0);
            options.Children[new YamlScalarNode(FirstLine)] = new YamlScalarNode(line.ToString(CultureInfo.InvariantCulture));
        }

        return options;
    }

    /// <summary>Whether a key of this form is a file's path, taken from the config's folder.</summary>
    public static bool NamesAFile(string key) => key.EndsWith(FileSuffix, StringComparison.Ordinal);

    /// <summary>The transform called <paramref name="key"/>, or that less <c>_file</c>, if it takes that key.</summary>
    private static TransformRegistration? NamedBy(string key, IReadOnlyDictionary<string, TransformRegistration> transforms) =>
        new[] { key, WithoutFileSuffix(key) }
            .Select(name => transforms.TryGetValue(name, out TransformRegistration? transform) && transform.Name == name ? transform : null)
            .FirstOrDefault(transform => transform is not null && Takes(transform, key));

    /// <summary>Whether the transform's options have one spelled <paramref name="key"/>, as the plugin listing shows it.</summary>
    private static bool Takes(TransformRegistration transform, string key) =>
        transform.OptionsType is { } type && OptionNaming.OptionsOf(type).Any(p => OptionNaming.SnakeCase(p.Name) == key);

    private static string WithoutFileSuffix(string key) =>
        key.EndsWith(FileSuffix, StringComparison.Ordinal) ? key[..^FileSuffix.Length] : key;
}
