using BusRuntime.Core.Configuration;
using BusRuntime.Stores.Postgres;
using Npgsql;

namespace BusRuntime.Stores.Tests;

public sealed class PostgresSettingsTests
{
    [Fact]
    public void For_NoTimeoutsSet_FailsFastByDefault()
    {
        var settings = PostgresSettings.For(Component(), new StoreOptions { Postgres = "Host=db;Username=app;Password=p" });

        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal(5, builder.Timeout);
        Assert.Equal(15, builder.CommandTimeout);
        Assert.Equal("db:5432/app", settings.Server);
    }

    [Fact]
    public void For_TimeoutsSet_KeepsThem()
    {
        var settings = PostgresSettings.For(Component(), new StoreOptions { Postgres = "Host=db;timeout=2;CommandTimeout=60" });

        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal(2, builder.Timeout);
        Assert.Equal(60, builder.CommandTimeout);
    }

    [Fact]
    public void For_Metadata_WinsOverTheDefaults()
    {
        var component = Component(new() { ["connectionString"] = "Host=own;Database=mine", ["schema"] = "own_schema" });

        var settings = PostgresSettings.For(component, new StoreOptions { Postgres = "Host=shared", PostgresSchema = "shared_schema" });

        Assert.Equal("own", new NpgsqlConnectionStringBuilder(settings.ConnectionString).Host);
        Assert.Equal("own_schema", settings.Schema);
    }

    [Fact]
    public void For_NoMetadata_UsesTheDefaults()
    {
        var settings = PostgresSettings.For(Component(), new StoreOptions { Postgres = "Host=shared", PostgresSchema = "shared_schema" });

        Assert.Equal("shared", new NpgsqlConnectionStringBuilder(settings.ConnectionString).Host);
        Assert.Equal("shared_schema", settings.Schema);
    }

    [Fact]
    public void ToString_Always_HidesThePassword()
    {
        var settings = PostgresSettings.For(Component(), new StoreOptions { Postgres = "Host=db;Password=s3cret" });

        Assert.DoesNotContain("s3cret", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void For_SslModeAndRootCertificate_KeepsThem()
    {
        var root = WriteCertificate();
        try
        {
            var settings = PostgresSettings.For(Component(), new StoreOptions { Postgres = $"Host=db;Password=p;SSL Mode=VerifyFull;Root Certificate={root}" });

            var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
            Assert.Equal((SslMode.VerifyFull, root), (builder.SslMode, builder.RootCertificate));
            Assert.Equal($"SSL Mode=VerifyFull: the server must have ssl = on and a certificate that chains to Root Certificate '{root}' and names Host 'db'", settings.SslRequirement);
        }
        finally
        {
            File.Delete(root);
        }
    }

    [Theory]
    [InlineData("Host=db", null)]
    [InlineData("Host=db;SSL Mode=Prefer", null)]
    [InlineData("Host=db;SSL Mode=Require", "SSL Mode=Require: the server must have ssl = on")]
    [InlineData("Host=db;SslMode=VerifyCA", "SSL Mode=VerifyCA: the server must have ssl = on and a certificate that chains to a root this machine trusts")]
    public void For_SslMode_SaysWhatItDemandsOfTheServer(string connectionString, string? requirement)
    {
        Assert.Equal(requirement, PostgresSettings.For(Component(), new StoreOptions { Postgres = connectionString }).SslRequirement);
    }

    [Fact]
    public void For_RootCertificateThatDoesNotExist_FailsNamingTheKeyAndThePath()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresSettings.For(
            Component(), new StoreOptions { Postgres = "Host=db;Password=s3cret;SSL Mode=VerifyFull;Root Certificate=/nonexistent/ca.pem" }));

        Assert.Equal("BusRuntime:Postgres Root Certificate '/nonexistent/ca.pem' does not exist.", error.Message);
    }

    [Fact]
    public void For_UnknownSslMode_FailsNamingTheKeyWithoutThePassword()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresSettings.For(
            Component(), new StoreOptions { Postgres = "Host=db;Password=s3cret;SSL Mode=Always" }));

        Assert.StartsWith("BusRuntime:Postgres is not a valid PostgreSQL connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    private static string WriteCertificate()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Path.GetTempPath(), $"busruntime-root-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private static ComponentOptions Component(Dictionary<string, string>? metadata = null) =>
        new() { Name = "statestore", Type = ComponentTypes.StatePostgres, Metadata = metadata ?? [] };
}
