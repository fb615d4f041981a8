using System.Diagnostics.CodeAnalysis;

namespace PluggableEcho.Plugins.Script;

/// <summary>A <c>script_file</c>, read with a bound, so that a wrong path (a folder,
/// <c>/dev/zero</c>, a log file) is refused with a reason instead of filling memory.</summary>
internal static class ScriptSource
{
    /// <summary>Far more than any script a step should run.</summary>
    public const int MaxBytes = 1 << 20;

    /// <param name="error">Why not: the path and the reason.</param>
    public static bool TryRead(string path, out string source, [NotNullWhen(false)] out string? error)
    {
        source = "";
        error = null;
        if (Directory.Exists(path))
        {
            error = $"{path} is a folder, not a script";
            return false;
        }

        try
        {
            using var file = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            var buffer = new char[MaxBytes + 1]; // Characters, at most as many as bytes.
            int read = file.ReadBlock(buffer, 0, buffer.Length);
            if (read > MaxBytes)
            {
                error = $"{path} is larger than {MaxBytes >> 20} MiB; is it the right file?";
                return false;
            }

            source = new string(buffer, 0, read);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read {path}: {e.Message}";
            return false;
        }
    }
}
