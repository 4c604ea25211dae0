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

    public static IHostApplicationBuilder AddApiDescription(this IHostApplicationBuilder builder)
    {
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
                        "`Authorization: Bearer aat_...`; each route also needs the role its group names. Refusals are " +
                        "problem details (RFC 9457) whose `detail` says what to change.",
                };
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
            options.AddOperationTransformer(DescribeRefusals);
        });
        return builder;
    }

    /// <summary>
    /// Every route answers its refusals (a field to change, no such thing, a conflict, a missing role) as problem
    /// details, described once as a component and named as each operation's default answer.
    /// </summary>
    private static async Task DescribeRefusals(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
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
        operation.Responses["default"] = new OpenApiResponse
        {
            Description = "A refusal: its detail says what to change.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), document) },
            },
        };
    }

    /// <summary>
    /// Describes the body as <typeparamref name="T"/> where the handler reads it by hand (as a JSON element, to explain
    /// what is wrong with it in the API's own words) and the framework would describe it as any JSON at all.
    /// </summary>
    public static RouteHandlerBuilder ReadsBodyAs<T>(this RouteHandlerBuilder route) =>
        route.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = (OpenApiSchema)await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            // A schema made here stays inline, so a polymorphic one's mapping would name components that are never
            // written; each alternative already names its discriminator's value, which is all a reader needs.
            if (schema.Discriminator is { } discriminator) discriminator.Mapping = null;
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    /// <summary>The document is open to anyone, as the routes it lists are not: it holds no data, only their shapes.</summary>
    public static WebApplication MapApiDescription(this WebApplication app)
    {
        app.MapOpenApi(Path).AllowAnonymous();
        return app;
    }
}
