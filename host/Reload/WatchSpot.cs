namespace PluggableEcho.Host.Reload;

/// <summary>One folder a <see cref="ConfigWatcher"/> watches.</summary>
/// <param name="Folder">Absolute; it exists (when the plan was made).</param>
/// <param name="Subfolders">Whether changes in its subfolders count too, at any depth.</param>
/// <param name="Names">The file or folder names in it that count, in ordinal order; empty: every name.</param>
internal sealed record WatchSpot(string Folder, bool Subfolders, IReadOnlyList<string> Names)
{
    /// <summary>For comparing plans: records compare lists by reference.</summary>
    public string Shape => $"{Folder}|{Subfolders}|{string.Join('/', Names)}";
}
