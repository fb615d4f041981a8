using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Syntax.Elements.Types;
using ArchUnitNET.Loader;
using ArchUnitNET.NUnit;
using PluggableEcho.Abstractions;
using PluggableEcho.Host;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace PluggableEcho.Tests.Architecture;

/// <summary>
/// Arrows only point down: the command line and the composition root (EchoHost, with the
/// Testing, Bench, Client and Logging tools) → Config → Observability → Pipeline, Networking and
/// Plugins → the contract and the shared helpers (Errors, Buffers); Networking may use Pipeline,
/// and Pipeline Plugins. Each
/// rule reads the compiled host, method bodies included, and fails on an arrow pointing back.
/// </summary>
public sealed class LayeringTests
{
    private const string Root = "PluggableEcho.Host";

    private static readonly ArchUnitNET.Domain.Architecture Host =
        new ArchLoader().LoadAssemblies(typeof(EchoHost).Assembly, typeof(ITransform).Assembly).Build();

    private static readonly IObjectProvider<IType> Cli = Layer("Cli");
    private static readonly IObjectProvider<IType> Testing = Layer("Testing");
    private static readonly IObjectProvider<IType> Bench = Layer("Bench");
    private static readonly IObjectProvider<IType> Client = Layer("Client");
    private static readonly IObjectProvider<IType> Logging = Layer("Logging");
    private static readonly IObjectProvider<IType> Config = Layer("Config");
    private static readonly IObjectProvider<IType> Observability = Layer("Observability");
    private static readonly IObjectProvider<IType> Pipeline = Layer("Pipeline");
    private static readonly IObjectProvider<IType> Networking = Layer("Networking");
    private static readonly IObjectProvider<IType> Plugins = Layer("Plugins");
    private static readonly IObjectProvider<IType> Buffers = Layer("Buffers");
    private static readonly IObjectProvider<IType> Errors = Layer("Errors");

    // Its namespace holds every other layer's: the root's own types are those right in it.
    private static readonly IObjectProvider<IType> CompositionRoot = Types().That().ResideInNamespace(Root).As("the composition root");

    private static readonly IObjectProvider<IType>[] BelowConfig = [Observability, Pipeline, Networking, Plugins, Buffers, Errors];
    private static readonly IObjectProvider<IType>[] Tools = [Testing, Bench, Client, Logging];
    private static readonly IObjectProvider<IType>[] BelowTheTop = [Config, .. BelowConfig];

    [Test]
    public void Networking_never_references_Config() => Forbid([Networking], [Config]);

    [Test]
    public void Networking_and_Pipeline_never_reference_Observability() => Forbid([Networking, Pipeline], [Observability]);

    [Test]
    public void Networking_never_references_Plugins() => Forbid([Networking], [Plugins]);

    [Test]
    public void Pipeline_never_references_Config_or_Networking() => Forbid([Pipeline], [Config, Networking]);

    [Test]
    public void Nothing_below_Config_references_Config() => Forbid(BelowConfig, [Config]);

    [Test]
    public void Plugins_reference_only_the_contract() => Forbid([Plugins], [HostBut(Plugins, Errors, Buffers)]);

    [Test]
    public void The_shared_helpers_reference_no_layer() => Forbid([Errors, Buffers], [HostBut(Errors, Buffers)]);

    [Test]
    public void No_layer_references_Cli() => Forbid([.. BelowTheTop, .. Tools], [Cli]);

    [Test]
    public void No_layer_references_the_composition_root() => Forbid([.. BelowTheTop, .. Tools], [CompositionRoot]);

    [TestCase("Testing")]
    [TestCase("Bench")]
    [TestCase("Client")]
    [TestCase("Logging")]
    public void No_layer_but_Cli_references_a_tool(string tool) =>
        Forbid([.. BelowTheTop, .. Tools.Where(t => t.Description != tool)], [Tools.Single(t => t.Description == tool)]);

    /// <summary>Fails on any dependency of a type of <paramref name="from"/> on one of <paramref name="to"/>.</summary>
    private static void Forbid(IObjectProvider<IType>[] from, IObjectProvider<IType>[] to)
    {
        foreach (IObjectProvider<IType> layer in from.Concat(to))
        {
            Assert.That(layer.GetObjects(Host), Is.Not.Empty, $"{layer.Description} has no types: a rule about it would pass whatever the code did");
        }

        Types().That().Are(AnyOf(from)).Should().NotDependOnAny(AnyOf(to)).Check(Host);
    }

    private static GivenTypesConjunctionWithDescription Layer(string name) => Types().That().ResideInNamespaceOrBelow($"{Root}.{name}").As(name);

    private static GivenTypesConjunctionWithDescription AnyOf(IObjectProvider<IType>[] layers) =>
        layers.Skip(1).Aggregate(Types().That().Are(layers[0]), (types, layer) => types.Or().Are(layer)).As(Listed(layers));

    /// <summary>The host's types but those of <paramref name="allowed"/>.</summary>
    private static GivenTypesConjunctionWithDescription HostBut(params IObjectProvider<IType>[] allowed) =>
        allowed.Aggregate(Types().That().ResideInNamespaceOrBelow(Root), (types, layer) => types.And().AreNot(layer)).As($"the host but {Listed(allowed)}");

    private static string Listed(IObjectProvider<IType>[] layers) => string.Join(", ", layers.Select(l => l.Description));
}
