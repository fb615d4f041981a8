using PluggableEcho.Host.Reload;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Reload;

/// <summary>Which folders a <see cref="ConfigWatcher"/> watches for which names.</summary>
public sealed class WatchPlanTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void Files_are_watched_through_their_folders_by_name_and_the_plugins_folder_with_its_subfolders()
    {
        string plugins = Directory.CreateDirectory(Path.Combine(_folder.Path, "plugins")).FullName;
        string scripts = Directory.CreateDirectory(Path.Combine(_folder.Path, "scripts")).FullName;

        WatchPlan plan = WatchPlan.For([In("echo.yaml"), In("scripts", "b.js"), In("scripts", "a.js"), In("later.js")], plugins);

        Assert.That(plan.Spots, Is.EqualTo(new[]
        {
            new WatchSpot(_folder.Path, false, ["echo.yaml", "later.js"]),
            new WatchSpot(plugins, true, []),
            new WatchSpot(scripts, false, ["a.js", "b.js"]),
        }).Using<WatchSpot>((a, b) => a.Shape == b.Shape));
    }

    [Test]
    public void A_missing_folder_is_watched_for_from_the_nearest_one_that_exists()
    {
        WatchPlan plan = WatchPlan.For([In("scripts", "deep", "x.js")], In("plugins"));

        Assert.That(plan.Spots.Select(s => s.Shape), Is.EqualTo(new[] { new WatchSpot(_folder.Path, false, ["plugins", "scripts"]).Shape }));
    }

    [Test]
    public void A_plan_changes_once_a_missing_folder_appears()
    {
        WatchPlan before = WatchPlan.For([In("scripts", "x.js")], null);
        Assert.That(WatchPlan.For([In("scripts", "x.js")], null).SameAs(before), Is.True);

        Directory.CreateDirectory(In("scripts"));

        WatchPlan after = WatchPlan.For([In("scripts", "x.js")], null);
        Assert.That(after.SameAs(before), Is.False);
        Assert.That(after.Spots.Single().Shape, Is.EqualTo(new WatchSpot(In("scripts"), false, ["x.js"]).Shape));
    }

    private string In(params string[] parts) => Path.Combine([_folder.Path, .. parts]);
}
