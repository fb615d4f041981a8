using PluggableEcho.Host.Pipeline;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>
/// Reads <c>pipeline:</c> into the steps as written. Their options stay YAML nodes: they are
/// bound once the plugins are loaded and say which types the options fill.
/// </summary>
internal static class StepReader
{
    private static readonly string[] StepKeys = ["type", "options", "on_error"];

    public static List<StepSettings> ReadPipeline(YamlNode node, ConfigProblems problems)
    {
        var steps = new List<StepSettings>();
        if (YamlValues.IsEmpty(node))
        {
            return steps; // `pipeline:` with nothing after it: echo as is.
        }

        if (node is not YamlSequenceNode sequence)
        {
            problems.Add(node.Start, "pipeline: expected a list of steps, such as [uppercase] or one '- name' per line");
            return steps;
        }

        foreach (YamlNode stepNode in sequence)
        {
            if (ReadStep(stepNode, problems) is { } step)
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    /// <summary><c>on_error:</c>, of one step or, at the top level, of those that do not say.</summary>
    public static ErrorPolicy? ReadOnError(YamlNode value, ConfigProblems problems) =>
        EnumValues.Read<ErrorPolicy>(value, "on_error", "policy", problems);

    /// <summary>A step written with <c>type:</c>, and the keys <see cref="StepKeys"/> only.</summary>
    /// <returns>Null when it has no type; the problems are reported.</returns>
    public static StepSettings? ReadLongForm(YamlMappingNode mapping, ConfigProblems problems)
    {
        string? type = null;
        YamlNode? options = null;
        ErrorPolicy? onError = null;
        foreach ((YamlNode keyNode, YamlNode value) in mapping.Children)
        {
            switch (YamlValues.Key(keyNode))
            {
                case "type":
                    type = YamlValues.Scalar(value, "type", "a transform name", problems);
                    break;
                case "options":
                    options = value;
                    break;
                case "on_error":
                    onError = ReadOnError(value, problems);
                    break;
                case var unknown:
                    problems.Add(keyNode.Start, $"unknown step key '{unknown}' (known: {string.Join(", ", StepKeys)})");
                    break;
            }
        }

        if (type is null)
        {
            problems.Add(mapping.Start, "this step has no 'type:' naming its transform");
            return null;
        }

        return new StepSettings(type, options, mapping.Start, onError);
    }

    private static StepSettings? ReadStep(YamlNode node, ConfigProblems problems)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { Length: > 0 } name }:
                return new StepSettings(name, null, node.Start);
            case YamlMappingNode mapping when mapping.Children.ContainsKey("type"):
                return ReadLongForm(mapping, problems);
            case YamlMappingNode mapping:
                // One of its keys names the transform (- script: |): which one is known once the
                // plugins are. on_error is the step's own, not one of the transform's options.
                ErrorPolicy? onError = TakeOnError(mapping, problems);
                return new StepSettings(null, mapping, node.Start, onError);
            default:
                problems.Add(node.Start, "a step is a transform name ('- rot13'), a mapping ('- type: rot13' with 'options:') or a script ('- script: ...')");
                return null;
        }
    }

    private static ErrorPolicy? TakeOnError(YamlMappingNode step, ConfigProblems problems)
    {
        if (!step.Children.TryGetValue("on_error", out YamlNode? value))
        {
            return null;
        }

        step.Children.Remove("on_error");
        return ReadOnError(value, problems);
    }
}
