using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Host.Pipeline;

/// <summary>One step as the config asks for it, checked: what to build, and how it fails.</summary>
/// <param name="Name">The transform as the config names it, for messages.</param>
/// <param name="Options">Bound and validated; given to the transform's constructor. Null: it takes none.</param>
/// <param name="Location">Where the config writes the step, <c>file:line:column</c>, for messages.</param>
internal sealed record StepPlan(string Name, TransformRegistration Registration, object? Options, ErrorPolicy OnError, string Location);
