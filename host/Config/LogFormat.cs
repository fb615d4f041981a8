namespace PluggableEcho.Host.Config;

/// <summary>How the log is written: <c>log_format:</c>.</summary>
internal enum LogFormat
{
    /// <summary>One line per event, for a person.</summary>
    Text,

    /// <summary>One JSON object per line, for a log collector.</summary>
    Json,
}
