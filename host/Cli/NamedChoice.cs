using System.CommandLine;

namespace PluggableEcho.Host.Cli;

/// <summary>
/// An option that takes one of a few names, spelled exactly as the docs write them: a wrong one
/// is told every name, and neither a number nor a .NET member name passes for one.
/// </summary>
internal static class NamedChoice
{
    /// <param name="noun">What a name stands for, in the message: <c>unknown level 'loud'</c>.</param>
    public static Option<T?> Create<T>(string name, string noun, IReadOnlyList<(string Name, T Value)> choices)
        where T : struct
    {
        string known = Listed(choices);
        return new Option<T?>(name)
        {
            HelpName = string.Join('|', choices.Select(choice => choice.Name)),
            CustomParser = result =>
            {
                string text = result.Tokens[^1].Value; // The parser has checked there is one.
                foreach ((string choice, T value) in choices)
                {
                    if (choice == text)
                    {
                        return value;
                    }
                }

                result.AddError($"{name}: unknown {noun} '{text}' (known: {known})");
                return null;
            },
        };
    }

    /// <summary>An enum's members by their lowercase names, in their order: <c>information</c>.</summary>
    public static IReadOnlyList<(string Name, T Value)> Lowercase<T>()
        where T : struct, Enum =>
        [.. Enum.GetValues<T>().Select(value => (value.ToString().ToLowerInvariant(), value))];

    /// <summary>For help and messages: <c>trace, debug, information</c>.</summary>
    public static string Listed<T>(IReadOnlyList<(string Name, T Value)> choices) => string.Join(", ", choices.Select(choice => choice.Name));
}
