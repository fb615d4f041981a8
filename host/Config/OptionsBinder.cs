using System.Collections;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Plugins;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>
/// Fills a step's options object from its YAML <c>options:</c> node and validates it with its
/// DataAnnotations attributes, nested option objects included. Keys are snake_case
/// (<c>max_shift</c> sets <c>MaxShift</c>); every unknown key, ill-typed value or failed check is
/// reported at its own line and column. The plugin's code (constructors, setters, validation)
/// runs here too, and whatever it throws is reported the same way.
/// </summary>
internal static class OptionsBinder
{
    /// <returns>The options, or null if they could not be created at all.</returns>
    /// <param name="at">Where a problem with the options as a whole is shown: the options' node, or
    /// the step's when it has none.</param>
    /// <param name="context">What the options belong to, for messages: <c>step 'caesar'</c>, <c>limits</c>.</param>
    public static object? Bind(Type optionsType, YamlNode? node, Mark at, string context, ConfigProblems problems)
    {
        if (node is not (null or YamlMappingNode) && !YamlValues.IsEmpty(node))
        {
            problems.Add(node.Start, $"options of {context} must be a mapping of option names to values");
            return null;
        }

        return TryCreate(optionsType, at, context, problems, out object? options)
            ? Fill(options, node as YamlMappingNode, at, context, problems)
            : null;
    }

    /// <summary>As <see cref="Bind"/>, onto options that already hold values (defaults a
    /// listener inherits): what the node sets replaces them, the rest stays.</summary>
    public static void BindOnto(object options, YamlNode node, string context, ConfigProblems problems)
    {
        if (node is not YamlMappingNode mapping)
        {
            if (!YamlValues.IsEmpty(node))
            {
                problems.Add(node.Start, $"options of {context} must be a mapping of option names to values");
            }

            return;
        }

        Fill(options, mapping, node.Start, context, problems);
    }

    private static object Fill(object target, YamlMappingNode? mapping, Mark at, string context, ConfigProblems problems)
    {
        PropertyInfo[] properties = OptionNaming.OptionsOf(target.GetType());
        var keyPositions = new Dictionary<string, Mark>(StringComparer.Ordinal);

        foreach ((YamlNode keyNode, YamlNode valueNode) in mapping?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? keyNode.ToString();
            PropertyInfo? property = properties.FirstOrDefault(p => OptionNaming.Matches(p.Name, key));
            if (property is null)
            {
                string known = properties.Length == 0 ? "it takes none" : "known: " + string.Join(", ", properties.Select(p => OptionNaming.SnakeCase(p.Name)));
                problems.Add(keyNode.Start, $"unknown option '{key}' for {context} ({known})");
                continue;
            }

            keyPositions.TryAdd(property.Name, keyNode.Start);
            string option = $"option '{key}' of {context}";
            if (TryConvert(valueNode, property.PropertyType, option, problems, out object? value))
            {
                Call(keyNode.Start, option, problems, () => property.SetValue(target, value));
            }
        }

        Validate(target, keyPositions, at, context, problems);
        return target;
    }

    /// <summary>DataAnnotations checks, with each property shown by its YAML name.</summary>
    /// <remarks>The attributes are read here, and every display name is given: <c>Validator.TryValidateProperty</c>
    /// and a <see cref="ValidationContext"/> left to find its display name look the type up in
    /// caches of DataAnnotations and <see cref="TypeDescriptor"/> that keep it for good, and with
    /// it the plugin's load context, which then never unloads.</remarks>
    private static void Validate(object target, Dictionary<string, Mark> keyPositions, Mark at, string context, ConfigProblems problems)
    {
        var results = new List<ValidationResult>();
        Call(at, $"options of {context}", problems, () =>
        {
            Type type = target.GetType();
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length == 0 && property.GetMethod is { IsPublic: true })
                {
                    var member = new ValidationContext(target) { MemberName = property.Name, DisplayName = OptionNaming.SnakeCase(property.Name) };
                    Validator.TryValidateValue(property.GetValue(target), member, results, property.GetCustomAttributes<ValidationAttribute>(inherit: true));
                }
            }

            var whole = new ValidationContext(target) { DisplayName = type.GetCustomAttribute<DisplayAttribute>()?.GetName() ?? type.Name };
            Validator.TryValidateValue(target, whole, results, type.GetCustomAttributes<ValidationAttribute>(inherit: true));
            if (target is IValidatableObject validatable)
            {
                results.AddRange(validatable.Validate(whole));
            }
        });

        foreach (ValidationResult result in results)
        {
            string? member = result.MemberNames.FirstOrDefault();
            problems.Add(member is not null && keyPositions.TryGetValue(member, out Mark keyAt) ? keyAt : at, $"options of {context}: {result.ErrorMessage}");
        }
    }

    private static bool TryConvert(YamlNode node, Type type, string option, ConfigProblems problems, out object? value)
    {
        Type? nullableOf = Nullable.GetUnderlyingType(type);
        Type target = nullableOf ?? type;
        value = null;
        switch (node)
        {
            case YamlScalarNode when YamlValues.IsEmpty(node) && (nullableOf is not null || !type.IsValueType):
                return true; // ~, null or nothing: no value, for strings too.
            case YamlScalarNode scalar when target == typeof(string):
                value = scalar.Value;
                return true;
            case YamlScalarNode { Value: { } text } when target == typeof(TimeSpan):
                if (Durations.TryParse(text, out TimeSpan duration))
                {
                    value = duration;
                    return true;
                }

                break;
            case YamlScalarNode { Value: { } text } when target.IsEnum:
                if (EnumValues.TryParse(target, text, out value))
                {
                    return true;
                }

                break;
            case YamlScalarNode scalar when ConverterOf(target) is { } converter && converter.CanConvertFrom(typeof(string)):
                try
                {
                    value = converter.ConvertFromInvariantString(scalar.Value ?? "");
                    return true;
                }
                catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException)
                {
                    break;
                }

            case YamlSequenceNode sequence when OptionNaming.ElementTypeOf(target) is { } elementType:
                return TryConvertList(sequence, target, elementType, option, problems, out value);
            case YamlMappingNode mapping when target.IsClass && target.GetConstructor(Type.EmptyTypes) is not null:
                if (!TryCreate(target, node.Start, option, problems, out value))
                {
                    return false;
                }

                Fill(value, mapping, node.Start, option, problems);
                return true;
        }

        problems.Add(node.Start, $"{option} expects {OptionNaming.Describe(target)}, got {Show(node)}");
        return false;
    }

    /// <summary>How a scalar becomes a value of <paramref name="type"/>. A plugin's own types are
    /// not looked up in <see cref="TypeDescriptor"/>, whose caches would keep them, and so the
    /// plugin's load context, for good: theirs is the converter their attribute names, if any.</summary>
    private static TypeConverter? ConverterOf(Type type)
    {
        if (!type.IsCollectible)
        {
            return TypeDescriptor.GetConverter(type);
        }

        string? converterName = type.GetCustomAttribute<TypeConverterAttribute>()?.ConverterTypeName;
        Type? converterType = converterName is null ? null : type.Assembly.GetType(converterName.Split(',')[0]) ?? Type.GetType(converterName);
        try
        {
            return converterType is null ? null : Activator.CreateInstance(converterType) as TypeConverter;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // As if it had none: the value is reported as not of the type.
        }
    }

    private static bool TryConvertList(
        YamlSequenceNode sequence, Type listType, Type elementType, string option, ConfigProblems problems, out object? value)
    {
        var items = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        bool ok = true;
        foreach (YamlNode itemNode in sequence)
        {
            ok &= TryConvert(itemNode, elementType, $"an item of {option}", problems, out object? item);
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

    private static bool TryCreate(Type type, Mark at, string context, ConfigProblems problems, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out object? created)
    {
        object? made = null;
        bool ok = Call(at, $"options of {context}", problems, () => made = Activator.CreateInstance(type)!);
        created = made;
        return ok && created is not null;
    }

    /// <summary>Runs the plugin's code, turning what it throws into a problem at <paramref name="at"/>.</summary>
    private static bool Call(Mark at, string what, ConfigProblems problems, Action call)
    {
        try
        {
            call();
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            problems.Add(at, $"{what}: the plugin's code threw {PluginErrors.Describe(e)}");
            return false;
        }
    }

    private static string Show(YamlNode node) => node switch
    {
        YamlScalarNode scalar => string.Create(CultureInfo.InvariantCulture, $"'{scalar.Value}'"),
        YamlSequenceNode => "a list",
        _ => "a mapping",
    };
}
