using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>
/// The <c>- script: |</c> and <c>- script_file: path</c> step forms: a step of the Script
/// plugin's <c>script</c> transform, whose options are the step's own keys (<c>script</c> or
/// <c>script_file</c>, and <c>limits</c>). The mapping is passed on as the options node itself, so
/// that every mistake in it is reported at its own line and column when the options are bound.
/// </summary>
internal static class ScriptSteps
{
    public const string TransformName = "script";
    private const string InlineKey = "script";
    private const string FileKey = "script_file";

    public static bool IsScriptStep(YamlMappingNode step) =>
        step.Children.Keys.Any(k => k is YamlScalarNode { Value: InlineKey or FileKey }) && !step.Children.ContainsKey("type");

    /// <summary>
    /// Resolves <c>script_file</c> against the config's folder, and tells the plugin which config
    /// line an inline script starts on, so that it can name positions there.
    /// </summary>
    public static StepSettings Read(YamlMappingNode step, string configFolder)
    {
        // The key node is kept as it is: mistakes about the file are reported at its position.
        if (step.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: FileKey }) is { Key: { } fileKey, Value: YamlScalarNode { Value: { Length: > 0 } path } })
        {
            step.Children[fileKey] = new YamlScalarNode(Path.GetFullPath(Path.Combine(configFolder, path)));
        }

        if (step.Children.TryGetValue(InlineKey, out YamlNode? inline))
        {
            // A block scalar (| or >) starts on the line after its indicator.
            bool block = inline is YamlScalarNode { Style: ScalarStyle.Literal or ScalarStyle.Folded };
            long firstLine = inline.Start.Line + (block ? 1 : 0);
            step.Children[new YamlScalarNode("first_line")] = new YamlScalarNode(firstLine.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new StepSettings(TransformName, step, step.Start);
    }
}
