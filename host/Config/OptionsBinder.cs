using System.Collections;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>
/// Fills a step's options object from its YAML <c>options:</c> node and validates it with its
/// DataAnnotations attributes. Keys are snake_case (<c>max_shift</c> sets <c>MaxShift</c>);
/// every unknown key or ill-typed value is reported at its own line and column.
/// </summary>
internal static class OptionsBinder
{
    public static object Bind(Type optionsType, YamlNode? node, Mark stepPosition, string stepName, ConfigProblems problems)
    {
        object options = Activator.CreateInstance(optionsType)!;
        var keyPositions = new Dictionary<string, Mark>(StringComparer.Ordinal);
        switch (node)
        {
            case null or YamlScalarNode { Value: null or "" }:
                break;
            case YamlMappingNode mapping:
                BindObject(options, mapping, $"step '{stepName}'", problems, keyPositions);
                break;
            default:
                problems.Add(node.Start, $"options of step '{stepName}' must be a mapping of option names to values");
                return options;
        }

        foreach (ValidationResult result in Validate(options))
        {
            string? member = result.MemberNames.FirstOrDefault();
            Mark at = member is not null && keyPositions.TryGetValue(member, out Mark keyAt) ? keyAt : node?.Start ?? stepPosition;
            problems.Add(at, $"options of step '{stepName}': {result.ErrorMessage}");
        }

        return options;
    }

    /// <summary>DataAnnotations checks, with each property shown by its YAML name.</summary>
    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        foreach (PropertyInfo property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = SnakeCase(property.Name) };
            Validator.TryValidateProperty(property.GetValue(options), context, results);
        }

        var whole = new ValidationContext(options);
        Validator.TryValidateValue(options, whole, results, options.GetType().GetCustomAttributes<ValidationAttribute>(inherit: true));
        if (options is IValidatableObject validatable)
        {
            results.AddRange(validatable.Validate(whole));
        }

        return results;
    }

    private static void BindObject(
        object target, YamlMappingNode mapping, string context, ConfigProblems problems, Dictionary<string, Mark>? keyPositions = null)
    {
        PropertyInfo[] properties = [.. target.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })];

        foreach ((YamlNode keyNode, YamlNode valueNode) in mapping.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? keyNode.ToString();
            PropertyInfo? property = properties.FirstOrDefault(p => Matches(p.Name, key));
            if (property is null)
            {
                string known = properties.Length == 0 ? "it takes none" : "known: " + string.Join(", ", properties.Select(p => SnakeCase(p.Name)));
                problems.Add(keyNode.Start, $"unknown option '{key}' for {context} ({known})");
                continue;
            }

            keyPositions?.TryAdd(property.Name, keyNode.Start);
            if (TryConvert(valueNode, property.PropertyType, $"option '{key}' of {context}", problems, out object? value))
            {
                property.SetValue(target, value);
            }
        }
    }

    private static bool TryConvert(YamlNode node, Type type, string context, ConfigProblems problems, out object? value)
    {
        Type? nullableOf = Nullable.GetUnderlyingType(type);
        Type target = nullableOf ?? type;
        value = null;
        switch (node)
        {
            case YamlScalarNode scalar when target == typeof(string):
                value = scalar.Value;
                return true;
            case YamlScalarNode { Value: null or "" or "~" or "null" } when nullableOf is not null || !type.IsValueType:
                return true;
            case YamlScalarNode scalar when TypeDescriptor.GetConverter(target) is { } converter && converter.CanConvertFrom(typeof(string)):
                try
                {
                    value = converter.ConvertFromInvariantString(scalar.Value ?? "");
                    return true;
                }
                catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException)
                {
                    break;
                }

            case YamlSequenceNode sequence when ElementTypeOf(target) is { } elementType:
                return TryConvertList(sequence, target, elementType, context, problems, out value);
            case YamlMappingNode mapping when target.IsClass && target.GetConstructor(Type.EmptyTypes) is not null:
                value = Activator.CreateInstance(target)!;
                BindObject(value, mapping, context, problems);
                return true;
        }

        problems.Add(node.Start, $"{context} expects {Describe(target)}, got {Show(node)}");
        return false;
    }

    private static bool TryConvertList(
        YamlSequenceNode sequence, Type listType, Type elementType, string context, ConfigProblems problems, out object? value)
    {
        var items = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        bool ok = true;
        foreach (YamlNode itemNode in sequence)
        {
            ok &= TryConvert(itemNode, elementType, $"an item of {context}", problems, out object? item);
            items.Add(item);
        }

        if (listType.IsArray)
        {
            var array = Array.CreateInstance(elementType, items.Count);
            items.CopyTo(array, 0);
            value = array;
        }
        else
        {
            value = items;
        }

        return ok;
    }

    private static Type? ElementTypeOf(Type type)
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

    private static bool Matches(string propertyName, string key) =>
        propertyName.Equals(key.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

    internal static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
            || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte)
            => $"a whole number ({type.Name})",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(TimeSpan) => "a duration such as 00:00:05",
        { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type).Select(SnakeCase)),
        _ when ElementTypeOf(type) is { } element => $"a list of {Describe(element)}",
        { IsClass: true } => "a mapping of option names to values",
        _ => type.Name,
    };

    private static string Show(YamlNode node) => node switch
    {
        YamlScalarNode scalar => string.Create(CultureInfo.InvariantCulture, $"'{scalar.Value}'"),
        YamlSequenceNode => "a list",
        _ => "a mapping",
    };
}
