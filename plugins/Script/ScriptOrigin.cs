namespace PluggableEcho.Plugins.Script;

/// <summary>
/// Names a position in a script the way its author finds it: in the script's file, or in the
/// config that holds an inline script.
/// </summary>
/// <param name="file">The script's file; null for an inline script.</param>
/// <param name="firstLine">For an inline script, the config line its first line is on, if known.</param>
internal sealed class ScriptOrigin(string? file, int? firstLine, int lineCount)
{
    /// <param name="line">1-based, in the script's own lines.</param>
    /// <param name="column">0-based, as the parser counts.</param>
    /// <param name="fullPath">Whether to name the file by its whole path (at start-up) or by its name
    /// (in replies, which should not show the server's folders).</param>
    public string At(int line, int column, bool fullPath)
    {
        string? name = file is null ? null : fullPath ? file : Path.GetFileName(file);
        if (line < 1 || line > lineCount)
        {
            return $"at the end of {name ?? "the script"}";
        }

        if (name is not null)
        {
            return $"at {name}:{line}:{column + 1}";
        }

        string where = $"at line {line}, column {column + 1} of the script";
        return firstLine is { } first ? $"{where} (line {first + line - 1} of the config)" : where;
    }
}
