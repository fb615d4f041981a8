using System.Diagnostics.CodeAnalysis;
using PluggableEcho.Host.Plugins;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>
/// An enum's value as the config writes it: one member's name, in any case, with or without
/// underscores (<c>PassThrough</c> is <c>pass_through</c> or <c>passthrough</c>); neither a number
/// nor a list of members. Options and the config's own keys read enums this one way.
/// </summary>
internal static class EnumValues
{
    public static bool TryParse(Type type, string text, [NotNullWhen(true)] out object? value)
    {
        string? name = Enum.GetNames(type).FirstOrDefault(n => OptionNaming.Matches(n, text));
        value = name is null ? null : Enum.Parse(type, name);
        return value is not null;
    }

    /// <summary>A key whose value must be a member of <typeparamref name="T"/>.</summary>
    /// <param name="noun">What a member is called in the message: <c>on_error: unknown policy 'x'</c>.</param>
    /// <returns>Null when it is not one; the problem is reported.</returns>
    public static T? Read<T>(YamlNode node, string key, string noun, ConfigProblems problems)
        where T : struct, Enum
    {
        string members = OptionNaming.MembersOf(typeof(T));
        if (YamlValues.Scalar(node, key, "one of " + members, problems) is not { } text)
        {
            return null;
        }

        if (TryParse(typeof(T), text, out object? value))
        {
            return (T)value;
        }

        problems.Add(node.Start, $"{key}: unknown {noun} '{text}' (known: {members})");
        return null;
    }
}
