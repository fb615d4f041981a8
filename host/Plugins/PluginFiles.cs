using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PluggableEcho.Host.Plugins;

/// <summary>
/// What a plugin's files are, in one string, to tell whether they changed: each file's path,
/// length and last write time. A folder plugin's are everything in its folder; a loose one's,
/// the files beside it (the loose dependencies it may use). Reading metadata, not contents,
/// keeps a reload fast; a copy over a plugin changes its files' write times.
/// </summary>
internal static class PluginFiles
{
    /// <summary>Empty if the files cannot be read: never equal to a loaded plugin's, so it is loaded again.</summary>
    public static string Fingerprint(string assemblyPath)
    {
        try
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
            bool ownFolder = Path.GetFileName(folder).Equals(Path.GetFileNameWithoutExtension(assemblyPath), StringComparison.OrdinalIgnoreCase);
            var text = new StringBuilder();
            foreach (string file in Directory.GetFiles(folder, "*", ownFolder ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(file);
                text.Append(CultureInfo.InvariantCulture, $"{Path.GetRelativePath(folder, file)}|{info.Length}|{info.LastWriteTimeUtc.Ticks}\n");
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
