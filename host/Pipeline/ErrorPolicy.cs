namespace PluggableEcho.Host.Pipeline;

/// <summary>What the client gets when a step fails on its message: <c>on_error:</c>.</summary>
internal enum ErrorPolicy
{
    /// <summary><c>ERR &lt;step&gt;: &lt;reason&gt;</c> in place of the reply, on the same framing.</summary>
    Reply,

    /// <summary>Nothing for that message.</summary>
    Drop,

    /// <summary>The replies before it, then the connection is closed.</summary>
    Close,

    /// <summary>The failing step is skipped: the message as it was before it goes on through the
    /// remaining steps.</summary>
    Passthrough,
}
