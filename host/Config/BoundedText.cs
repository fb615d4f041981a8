using System.Text;
using PluggableEcho.Host.Errors;

namespace PluggableEcho.Host.Config;

/// <summary>
/// Reads a text file the user names, refusing what is not one: an empty path, a folder, or a
/// file larger than a bound, which also stops endless ones (<c>/dev/zero</c>) at that bound
/// instead of running out of memory.
/// </summary>
internal static class BoundedText
{
    /// <summary>For a config: some hundred times the largest a real one is.</summary>
    public const int ConfigBytes = 1 << 20;

    /// <summary>For a cases file, whose cases may send and expect long messages.</summary>
    public const int CasesBytes = 16 << 20;

    /// <param name="what">For messages: <c>config file</c>.</param>
    /// <exception cref="StartupException">It cannot be read, or is no text file of that size.</exception>
    public static string Read(string path, string what, int maxBytes)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new StartupException($"the {what}'s path is empty");
        }

        if (Directory.Exists(path))
        {
            throw new StartupException($"{path}: is a folder; give the {what} itself");
        }

        byte[] bytes;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            bytes = ReadAtMost(file, maxBytes + 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{path}: cannot read the {what}: {e.Message}");
        }

        if (bytes.Length > maxBytes)
        {
            throw new StartupException($"{path}: the {what} is larger than {maxBytes >> 20} MiB; is it the right file?");
        }

        // As File.ReadAllText: UTF-8 unless a byte order mark says otherwise.
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static byte[] ReadAtMost(Stream stream, int limit)
    {
        var read = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int count;
        while (read.Length < limit && (count = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - read.Length))) > 0)
        {
            read.Write(chunk, 0, count);
        }

        return read.ToArray();
    }
}
