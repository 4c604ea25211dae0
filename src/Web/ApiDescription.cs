using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AnnotateAnyone.Web;

/// <summary>
/// The HTTP API described as an OpenAPI 3.1 document at <see cref="Path"/>, built from the endpoints themselves, so
/// it never drifts from them: outside tools generate clients from it, and people read every route, parameter and body.
/// </summary>
public static class ApiDescription
{
    public const string Path = "/openapi/v1.json";

    private const string BearerScheme = "bearer";

    /// <summary>The areas the routes are tagged with, as an API reader groups them.</summary>
    private static readonly Dictionary<string, string> Areas = new()
    {
        ["Users"] = "Accounts and their roles (Admin).",
        ["Tokens"] = "Access tokens for scripts and tools.",
        ["Ingest"] = "Images in from uploads, folders, buckets, URL lists or the generator; each run's report.",
        ["Images"] = "Ingested images, their files, labels and history.",
        ["Review"] = "Proposals in; claiming, deciding and completing review items.",
        ["Flywheel"] = "Rounds, routing and the captioner: AI proposes, people correct, the captioner retrains.",
        ["Data leads"] = "Annotator quality, gold images and the taxonomy.",
        ["Releases"] = "Immutable, versioned data set snapshots and the files outside tools read.",
        ["Daring"] = "Text-to-image training with grouped captions, and generation.",
        ["Jobs"] = "Job runs on the Workers, their queues and the Workers themselves (Ops).",
        ["Audit"] = "Who changed what, and when.",
    };

    public static IHostApplicationBuilder AddApiDescription(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOutputCache();
        builder.Services.AddOpenApi(options =>
        {
            // Pages, sign-in forms and the Hangfire dashboard are for browsers; the document is the API under /api.
            options.ShouldInclude = endpoint => endpoint.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Annotate Anyone HTTP API",
                    Version = "v1",
                    Description = "Send an access token (Access tokens page, or `create-token` on the Web host) as " +
                        "`Authorization: Bearer aat_...`; each operation says the roles that may call it. Refusals are " +
                        "problem details (RFC 9457) whose `detail` says what to change.",
                };
                document.Tags = new HashSet<OpenApiTag>(Areas.Select(area => new OpenApiTag { Name = area.Key, Description = area.Value }));
                // The server is this host as the document was asked for; a trailing "/" would double every path's.
                foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = BearerScheme,
                    Description = "An access token of the form aat_...",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribeOperation);
        });
        return builder;
    }

    /// <summary>
    /// Names each operation for generated clients, says which roles may call it, and describes its refusals: every route answers a field to change,
    /// no such thing, a conflict or a missing role as problem details, described once as a component.
    /// </summary>
    private static async Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.OperationId ??= OperationId(context.Description.HttpMethod!, context.Description.RelativePath!);
        var needs = await RequiredRoles.DescribeAsync(context.Description.ActionDescriptor.EndpointMetadata,
            context.ApplicationServices.GetRequiredService<IAuthorizationPolicyProvider>());
        operation.Description = needs is null ? "Open to any account." : $"Needs {needs}.";
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(nameof(ProblemDetails)) != true)
        {
            var problem = (OpenApiSchema)await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
            // Refusals may carry more than the standard members (a review conflict's currentValues and currentRevision).
            problem.AdditionalPropertiesAllowed = true;
            problem.AdditionalProperties = null;
            document.AddComponent(nameof(ProblemDetails), problem);
        }
        operation.Responses ??= [];
        operation.Responses["4XX"] = new OpenApiResponse
        {
            Description = "A refusal: its detail says what to change.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), document) },
            },
        };
    }

    /// <summary>"POST api/rounds/{id:int}/finish" as "postRoundsIdFinish": unique, since no two routes share a method and a path.</summary>
    private static string OperationId(string method, string path) =>
        method.ToLowerInvariant() + string.Concat(path.Split('/', '.', '-').Skip(1)
            .Select(part => part.Trim('{', '}', '*').Split(':')[0]).Where(part => part.Length > 0)
            .Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>
    /// Describes the body as <typeparamref name="T"/> where the handler reads it by hand, to explain what is wrong with
    /// it in the API's own words (a JSON element, a stream of rows, multipart sections), and the framework would
    /// describe it as any JSON or not at all. Only the description: <c>Accepts</c> would also make routing refuse other
    /// content types with an empty 415 (curl's <c>--data-binary</c> sends a form's), before the handler could explain.
    /// </summary>
    public static RouteHandlerBuilder ReadsBodyAs<T>(this RouteHandlerBuilder route, string contentType = "application/json") =>
        route.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = (OpenApiSchema)await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            // A schema made here stays inline, so a polymorphic one's mapping would name components that are never
            // written; each alternative already names its discriminator's value, which is all a reader needs.
            if (schema.Discriminator is { } discriminator) discriminator.Mapping = null;
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { [contentType] = new() { Schema = schema } },
            };
        });

    /// <summary>Names the media types a route answering with a file's bytes sends, which the description cannot see in a stream.</summary>
    public static RouteHandlerBuilder ServesFile(this RouteHandlerBuilder route, params IReadOnlyList<string> contentTypes) =>
        route.Produces(StatusCodes.Status200OK, typeof(Stream), contentTypes[0], [.. contentTypes.Skip(1)]);

    /// <summary>
    /// The document is open to anyone, as the routes it lists are not: it holds no data, only their shapes. Building it
    /// takes tens of milliseconds of CPU, so anonymous callers get the copy built last (signed-in ones a fresh one).
    /// </summary>
    public static WebApplication MapApiDescription(this WebApplication app)
    {
        app.MapOpenApi(Path).AllowAnonymous().CacheOutput();
        return app;
    }
}
