using System.Reflection;

namespace PluggableEcho.Host.Plugins;

/// <summary>
/// How the YAML speaks of a transform's options type: its options are its public settable
/// properties, each named in snake_case (<c>MaxShift</c> is <c>max_shift</c>). The binder reads
/// options this way and the plugin listing shows them this way, so the two cannot drift apart.
/// </summary>
internal static class OptionNaming
{
    /// <summary>The properties a YAML mapping can set.</summary>
    public static PropertyInfo[] OptionsOf(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)];

    /// <summary>Whether a YAML key names a property (or an enum member): any case, with or without underscores.</summary>
    public static bool Matches(string propertyName, string key) =>
        propertyName.Equals(key.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

    public static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>What a value of this type is written as, for messages and listings.</summary>
    public static string Describe(Type type) => type switch
    {
        _ when type == typeof(string) => "text",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
            || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte)
            => $"a whole number ({type.Name})",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(TimeSpan) => "a duration such as 500ms, 30s, 5m or 1h",
        { IsEnum: true } => "one of " + MembersOf(type),
        _ when ElementTypeOf(type) is { } element => $"a list of {Describe(element)}",
        { IsClass: true } => "a mapping of option names to values",
        _ => type.Name,
    };

    /// <summary>An enum's members as the YAML writes them: <c>reply, drop, close, passthrough</c>.</summary>
    public static string MembersOf(Type enumType) => string.Join(", ", Enum.GetNames(enumType).Select(SnakeCase));

    /// <summary>The item type of the list types an option can be: arrays, <c>List&lt;T&gt;</c> and its interfaces.</summary>
    public static Type? ElementTypeOf(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        bool listLike = type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(List<>) || definition == typeof(IList<>)
                || definition == typeof(IReadOnlyList<>) || definition == typeof(IEnumerable<>));
        return listLike ? type.GetGenericArguments()[0] : null;
    }
}
