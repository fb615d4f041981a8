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

    public static List<StepSettings> ReadPipeline(YamlNode node, string configFolder, ConfigProblems problems)
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
            if (ReadStep(stepNode, configFolder, problems) is { } step)
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    /// <summary><c>on_error:</c>, of one step or, at the top level, of those that do not say.</summary>
    public static ErrorPolicy? ReadOnError(YamlNode value, ConfigProblems problems) =>
        EnumValues.Read<ErrorPolicy>(value, "on_error", "policy", problems);

    private static StepSettings? ReadStep(YamlNode node, string configFolder, ConfigProblems problems)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { Length: > 0 } name }:
                return new StepSettings(name, null, node.Start);
            case YamlMappingNode mapping when ScriptSteps.IsScriptStep(mapping):
                ErrorPolicy? scriptOnError = TakeOnError(mapping, problems); // Not one of the script's options.
                return ScriptSteps.Read(mapping, configFolder) with { OnError = scriptOnError };
            case YamlMappingNode mapping:
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
                    problems.Add(node.Start, "this step has no 'type:' naming its transform");
                    return null;
                }

                return new StepSettings(type, options, node.Start, onError);
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
