using System.ComponentModel.DataAnnotations;

namespace AnnotateAnyone.Web.Accounts;

public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>Sign-in attempts allowed per client address per minute; more get 429.</summary>
    [Range(1, 10_000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>Consecutive wrong passwords before an account is locked for <see cref="LockoutMinutes"/>.</summary>
    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 5;

    /// <summary>Send the session cookie only over HTTPS. Turn on whenever the platform is served over TLS.</summary>
    public bool RequireHttpsCookies { get; set; }

    /// <summary>Optional first administrator, created at start-up when no user exists (see README).</summary>
    public string? BootstrapAdminEmail { get; set; }
    public string? BootstrapAdminPassword { get; set; }
}
