using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace AnnotateAnyone.Data.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide and points at the logger factory of the host that configured Hangfire
/// last. Where several hosts share a process (a test run) and that host has stopped, its disposed factory threw
/// from Hangfire's static initialisers, which broke enqueueing in every other host for the rest of the process.
/// A stopped host's Hangfire messages now go nowhere instead.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggers) : ILogProvider
{
    private readonly AspNetCoreLogProvider _host = new(loggers);

    public ILog GetLogger(string name)
    {
        try
        {
            return _host.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
