using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Versioning;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Host.Plugins;

/// <summary>
/// What a DLL's metadata says, read without loading it: so that even one that cannot be loaded
/// can say what it was built for and against, and the plugins folder can be sorted into plugins
/// and their dependencies before anything runs.
/// </summary>
/// <param name="Name">The assembly's own name.</param>
/// <param name="TargetFramework">Its <see cref="TargetFrameworkAttribute"/>, if it has one.</param>
/// <param name="References">The assemblies it was built against.</param>
/// <param name="RefersToPluginInterface">Whether it names <see cref="ITransformPlugin"/> (the
/// host's, or a type named like it): a plugin must, to implement it; a plain library has no reason to.</param>
internal sealed record AssemblyFacts(string Name, string? TargetFramework, IReadOnlyList<AssemblyName> References, bool RefersToPluginInterface)
{
    private static readonly string PluginNamespace = typeof(ITransformPlugin).Namespace!;
    private static readonly string PluginName = typeof(ITransformPlugin).Name;

    /// <param name="whyNot">Why it is no .NET assembly: a native library, a corrupt or unreadable file.</param>
    public static bool TryRead(string path, [NotNullWhen(true)] out AssemblyFacts? facts, [NotNullWhen(false)] out string? whyNot)
    {
        facts = null;
        try
        {
            using var pe = new PEReader(File.OpenRead(path));
            if (!pe.HasMetadata)
            {
                whyNot = "not a .NET assembly: it has no .NET metadata (a native library?)";
                return false;
            }

            MetadataReader reader = pe.GetMetadataReader();
            if (!reader.IsAssembly)
            {
                whyNot = "not a .NET assembly: a module without an assembly manifest";
                return false;
            }

            facts = new AssemblyFacts(
                reader.GetString(reader.GetAssemblyDefinition().Name),
                TargetFrameworkOf(reader),
                [.. reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h).GetAssemblyName())],
                NamesPluginInterface(reader));
            whyNot = null;
            return true;
        }
        catch (BadImageFormatException e)
        {
            whyNot = $"not a .NET assembly: {Sentence(e)}";
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            whyNot = $"cannot be read: {Sentence(e)}";
            return false;
        }
    }

    /// <summary>The exception's message, to go on in a sentence of ours.</summary>
    private static string Sentence(Exception e) => e.Message.Trim().TrimEnd('.');

    private static bool NamesPluginInterface(MetadataReader reader) =>
        reader.TypeReferences.Any(h => IsPluginInterface(reader, reader.GetTypeReference(h).Namespace, reader.GetTypeReference(h).Name))
        || reader.TypeDefinitions.Any(h => IsPluginInterface(reader, reader.GetTypeDefinition(h).Namespace, reader.GetTypeDefinition(h).Name));

    private static bool IsPluginInterface(MetadataReader reader, StringHandle space, StringHandle name) =>
        reader.StringComparer.Equals(name, PluginName) && reader.StringComparer.Equals(space, PluginNamespace);

    private static string? TargetFrameworkOf(MetadataReader reader)
    {
        foreach (CustomAttributeHandle handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            CustomAttribute attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            MemberReference constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind == HandleKind.TypeReference
                && reader.GetString(reader.GetTypeReference((TypeReferenceHandle)constructor.Parent).Name) == nameof(TargetFrameworkAttribute))
            {
                BlobReader value = reader.GetBlobReader(attribute.Value);
                return value.ReadUInt16() == 1 ? value.ReadSerializedString() : null; // 1: the blob's prolog.
            }
        }

        return null;
    }
}
