using AnnotateAnyone.Data.Accounts;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Web.Accounts;

/// <summary>
/// Creates the first administrator from Accounts:BootstrapAdminEmail/Password when the database has no user,
/// so a fresh deployment can be signed into. Once any user exists it does nothing.
/// </summary>
internal sealed class BootstrapAdmin(UserDirectory directory, IOptions<AccountsOptions> options, ILogger<BootstrapAdmin> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (email, password) = (options.Value.BootstrapAdminEmail, options.Value.BootstrapAdminPassword);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password)) return;
        if (await directory.AnyAsync(cancellationToken)) return;
        await directory.CreateAsync(email, password, [Roles.Admin], "Administrator", "bootstrap", cancellationToken);
        log.LogInformation("Created the first administrator {Email} from configuration", email);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
