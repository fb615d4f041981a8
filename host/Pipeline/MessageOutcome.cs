namespace PluggableEcho.Host.Pipeline;

/// <summary>What the connection does with a message once the pipeline has run.</summary>
internal enum MessageOutcome
{
    /// <summary>Send what the pipeline wrote, framed like any reply.</summary>
    Reply,

    /// <summary>Send nothing for this message, not even its framing.</summary>
    Drop,

    /// <summary>Send the replies before this message, then close the connection.</summary>
    Close,
}
