namespace PluggableEcho.Abstractions;

/// <summary>What an <see cref="IConnectionTransform"/> says about the message it was given.</summary>
public enum TransformResult
{
    /// <summary>What it wrote goes on to the next step, or is the reply after the last.</summary>
    Continue,

    /// <summary>
    /// Send nothing for this message, not even its framing; later steps do not see it. Anything
    /// written to the output is discarded.
    /// </summary>
    Drop,
}
