using PluggableEcho.Host.Config;
using PluggableEcho.Host.Plugins;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Reload;

/// <summary>
/// The files a config names in its steps' options (a script step's <c>script_file:</c>, any key
/// ending in <c>_file</c>, at any depth), as absolute paths: what a change of should reload.
/// Each path is resolved as the plugin will open it: a <c>- name_file:</c> step's own keys from
/// the config's folder (<see cref="StepShorthand"/> makes them absolute), any other from the
/// working directory, since it reaches the plugin as written.
/// </summary>
internal static class NamedFiles
{
    private const string FileSuffix = "_file";

    public static IReadOnlyList<string> Of(ServerSettings settings) =>
        [.. settings.Listeners
            .SelectMany(listener => listener.Pipeline)
            .Distinct() // Listeners that inherit the top level's pipeline share its steps.
            .SelectMany(step => step.Options is null ? [] : Within(step.Options, step.Type is null ? settings.ConfigFolder : null))
            .Distinct(StringComparer.Ordinal)];

    /// <param name="shorthandFolder">For the mapping of a step without <c>type:</c>: the config's
    /// folder, which its own <c>_file</c> keys are taken from; null below it and in long forms.</param>
    private static IEnumerable<string> Within(YamlNode node, string? shorthandFolder)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach ((YamlNode keyNode, YamlNode value) in mapping.Children)
                {
                    string key = YamlValues.Key(keyNode);
                    // ~ is no value (the binder's reading); a NUL is no path a plugin could open, and Path would throw on it.
                    if (IsFileKey(key) && !YamlValues.IsEmpty(value) && value is YamlScalarNode { Value: { Length: > 0 } path }
                        && !path.Contains('\0', StringComparison.Ordinal))
                    {
                        yield return shorthandFolder is not null && StepShorthand.NamesAFile(key)
                            ? Path.GetFullPath(Path.Combine(shorthandFolder, path))
                            : Path.GetFullPath(path);
                    }

                    foreach (string file in Within(value, null))
                    {
                        yield return file;
                    }
                }

                break;
            case YamlSequenceNode sequence:
                foreach (string file in sequence.SelectMany(item => Within(item, null)))
                {
                    yield return file;
                }

                break;
        }
    }

    /// <summary><c>script_file</c>, and <c>scriptFile</c> too: the binder takes either spelling.</summary>
    private static bool IsFileKey(string key) =>
        key.EndsWith(FileSuffix, StringComparison.OrdinalIgnoreCase) || OptionNaming.SnakeCase(key).EndsWith(FileSuffix, StringComparison.Ordinal);
}
