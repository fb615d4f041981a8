namespace PluggableEcho.Host.Reload;

/// <summary>
/// Which folders to watch, and for which names, to see a set of files and a plugins folder
/// change, as the file system is now. A file is watched through its folder, by name, so that an
/// editor's rename of a temporary file over it counts, and a file that does not exist yet counts
/// once it appears. A folder that does not exist yet is watched for from the nearest one that
/// does, by the name of its first missing part; once it appears the plan is another one.
/// </summary>
internal sealed class WatchPlan
{
    public static readonly WatchPlan Empty = new([]);

    private readonly string _shape;

    private WatchPlan(IReadOnlyList<WatchSpot> spots)
    {
        Spots = spots;
        _shape = string.Join('\n', spots.Select(s => s.Shape));
    }

    public IReadOnlyList<WatchSpot> Spots { get; }

    /// <param name="files">Absolute.</param>
    /// <param name="pluginFolder">Absolute; watched with its subfolders. Null: none.</param>
    public static WatchPlan For(IEnumerable<string> files, string? pluginFolder)
    {
        var names = new Dictionary<(string Folder, bool Subfolders), SortedSet<string>>();
        void Add(string folder, bool subfolders, string? name)
        {
            if (!names.TryGetValue((folder, subfolders), out SortedSet<string>? set))
            {
                names[(folder, subfolders)] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            if (name is not null)
            {
                set.Add(name);
            }
        }

        foreach (string file in files)
        {
            if (AppearanceOf(file) is var (folder, name))
            {
                Add(folder, false, name);
            }
        }

        if (pluginFolder is not null)
        {
            if (Directory.Exists(pluginFolder))
            {
                Add(pluginFolder, true, null); // Every name: a DLL copied into plugins/Foo/ counts.
            }
            else if (AppearanceOf(pluginFolder) is var (folder, name))
            {
                Add(folder, false, name);
            }
        }

        return new WatchPlan([.. names
            .OrderBy(n => n.Key.Folder, StringComparer.Ordinal).ThenBy(n => n.Key.Subfolders)
            .Select(n => new WatchSpot(n.Key.Folder, n.Key.Subfolders, [.. n.Value]))]);
    }

    public bool SameAs(WatchPlan other) => _shape == other._shape;

    /// <summary>Where a path's change or appearance shows: its folder and its name, or, when the
    /// folder does not exist, the nearest folder that does and the name of the first missing one.</summary>
    /// <returns>Null for a root, which has no name to watch for.</returns>
    private static (string Folder, string Name)? AppearanceOf(string path)
    {
        string name = Path.GetFileName(path);
        string? folder = Path.GetDirectoryName(path);
        while (folder is not null && !Directory.Exists(folder))
        {
            name = Path.GetFileName(folder);
            folder = Path.GetDirectoryName(folder);
        }

        return folder is null || name.Length == 0 ? null : (folder, name);
    }
}
