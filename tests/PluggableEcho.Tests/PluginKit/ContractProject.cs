using System.Xml.Linq;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.PluginKit;

/// <summary>
/// abstractions/ as the contract's versioning reads it: its Version and ShippedVersion, and the
/// API PublicAPI.Unshipped.txt records since ShippedVersion.
/// </summary>
internal sealed record ContractProject(Version Version, Version ShippedVersion, IReadOnlyList<string> UnshippedApi)
{
    public static string Folder => Path.Combine(TestPaths.RepositoryRoot, "abstractions");

    /// <summary>
    /// The least Version the unshipped API allows: the next major past ShippedVersion for a
    /// removal (the analyzer marks one <c>*REMOVED*</c>), the next minor for additions, and
    /// ShippedVersion itself when nothing is unshipped. Why, for the message.
    /// </summary>
    public (Version Least, string Why) LeastVersion()
    {
        Version shipped = ShippedVersion;
        string? removal = UnshippedApi.FirstOrDefault(line => line.StartsWith("*REMOVED*", StringComparison.Ordinal));
        return removal is not null ? (new Version(shipped.Major + 1, 0, 0), $"PublicAPI.Unshipped.txt removes from the API ({removal})")
            : UnshippedApi.Count > 0 ? (new Version(shipped.Major, shipped.Minor + 1, 0), $"PublicAPI.Unshipped.txt adds to the API ({UnshippedApi[0]})")
            : (shipped, "the API is the shipped one");
    }

    public static ContractProject Read()
    {
        XDocument project = XDocument.Load(Path.Combine(Folder, "PluggableEcho.Abstractions.csproj"));
        string[] unshipped = File.ReadAllLines(Path.Combine(Folder, "PublicAPI.Unshipped.txt"));
        return new ContractProject(
            Version.Parse(project.Descendants("Version").Single().Value),
            Version.Parse(project.Descendants("ShippedVersion").Single().Value),
            [.. unshipped.Where(line => line.Length > 0 && !line.StartsWith('#'))]);
    }
}
