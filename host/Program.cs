using PluggableEcho.Host.Cli;

return await EchoCommandLine.InvokeAsync(args).ConfigureAwait(false);
