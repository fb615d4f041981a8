using System.Diagnostics;

namespace PluggableEcho.Tests.Fleet;

/// <summary>TLS ended at HAProxy: the servers behind it speak plain TCP.</summary>
public sealed class BalancerTlsTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task A_client_of_the_tls_address_gets_its_line_upper_cased(CancellationToken cancellation)
    {
        using EchoFleet fleet = await EchoFleet.StartAsync(3);
        var start = new ProcessStartInfo(FleetPrograms.Require("openssl"))
        {
            // -quiet: only the server's bytes on standard output. The certificate is self-signed
            // and not verified: s_client goes on regardless.
            ArgumentList = { "s_client", "-quiet", "-connect", fleet.Haproxy.TlsEndPoint.ToString() },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process client = Process.Start(start)!;
        try
        {
            Task<string> errors = client.StandardError.ReadToEndAsync(cancellation);
            await client.StandardInput.WriteAsync("hello\n");
            await client.StandardInput.FlushAsync(cancellation);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            string? reply = await client.StandardOutput.ReadLineAsync(timeout.Token);

            Assert.That(reply, Is.EqualTo("HELLO"), () => $"openssl s_client: {(errors.IsCompleted ? errors.Result : "")}\n{fleet.Haproxy.Output}");
        }
        finally
        {
            client.Kill(); // s_client -quiet keeps the connection until killed.
            await client.WaitForExitAsync(CancellationToken.None);
        }
    }
}
