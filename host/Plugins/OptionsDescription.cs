using System.Collections;
using System.Globalization;
using System.Reflection;
using PluggableEcho.Host.Errors;

namespace PluggableEcho.Host.Plugins;

/// <summary>A transform's options as the YAML spells them: name, what it takes, its default.</summary>
internal static class OptionsDescription
{
    private const int MaxDepth = 4; // Options nest objects; a cycle of them must not hang the listing.

    /// <param name="showDuration">How the config writes a duration (<c>50ms</c>): that is the config's to say.</param>
    /// <returns>One line per option, nested ones as <c>outer.inner</c>.</returns>
    public static IReadOnlyList<string> Describe(Type optionsType, Func<TimeSpan, string> showDuration)
    {
        object defaults;
        try
        {
            defaults = Activator.CreateInstance(optionsType)!;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [$"(the options' constructor threw {PluginErrors.Describe(e)})"];
        }

        var lines = new List<string>();
        Describe(defaults, "", lines, 0, showDuration);
        return lines;
    }

    private static void Describe(object defaults, string prefix, List<string> lines, int depth, Func<TimeSpan, string> showDuration)
    {
        foreach (PropertyInfo property in OptionNaming.OptionsOf(defaults.GetType()))
        {
            string name = prefix + OptionNaming.SnakeCase(property.Name);
            object? value = DefaultOf(defaults, property);
            if (value is not null and not string and not IEnumerable && property.PropertyType.IsClass && depth < MaxDepth)
            {
                Describe(value, name + ".", lines, depth + 1, showDuration);
                continue;
            }

            Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            lines.Add($"{name}: {OptionNaming.Describe(type)}, default {Show(value, showDuration)}");
        }
    }

    private static object? DefaultOf(object defaults, PropertyInfo property)
    {
        try
        {
            return property.GetValue(defaults);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"(its getter threw {PluginErrors.Describe(e)})";
        }
    }

    private static string Show(object? value, Func<TimeSpan, string> showDuration) => value switch
    {
        null => "none",
        string text => $"'{text}'",
        bool flag => flag ? "true" : "false",
        Enum member => OptionNaming.SnakeCase(member.ToString()),
        TimeSpan duration => showDuration(duration),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(item => Show(item, showDuration))) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
