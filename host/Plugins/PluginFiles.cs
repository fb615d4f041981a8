using System.Security.Cryptography;
using System.Text;

namespace PluggableEcho.Host.Plugins;

/// <summary>
/// What a plugin's files are, in one hash, to tell whether they changed: each file's path and
/// contents. A folder plugin's are everything in its folder; a loose one's, the files beside it
/// (the loose dependencies it may use). Contents, not write times: a copy that keeps times
/// (<c>cp -p</c>, an unpacked archive) must not pass for the old build. A few megabytes of
/// plugin hash in milliseconds.
/// </summary>
internal static class PluginFiles
{
    /// <summary>Whether it is a folder plugin, <c>&lt;Name&gt;/&lt;Name&gt;.dll</c>, rather than a loose one.</summary>
    public static bool HasOwnFolder(string assemblyPath) =>
        Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(assemblyPath)) ?? "").Equals(Path.GetFileNameWithoutExtension(assemblyPath), StringComparison.OrdinalIgnoreCase);

    /// <summary>Empty if the files cannot be read: never equal to a loaded plugin's, so it is loaded again.</summary>
    public static string Fingerprint(string assemblyPath)
    {
        try
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
            bool ownFolder = HasOwnFolder(assemblyPath);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (string file in Directory.GetFiles(folder, "*", ownFolder ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, file) + "\n"));
                hash.AppendData(File.ReadAllBytes(file));
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
