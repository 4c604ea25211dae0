using AnnotateAnyone.Data.Storage;
using Microsoft.AspNetCore.Diagnostics;
using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AnnotateAnyone.Web;

public static class WebPipeline
{
    /// <summary>How the HTTP API reads and writes JSON beyond the web defaults.</summary>
    public static IHostApplicationBuilder AddApiJson(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new UndefinedNumbersAsNull());
            json.SerializerOptions.Converters.Add(new TextWithoutNul());
            // A body that leaves out a field the API's types cannot do without, or sends null there, is the caller's
            // mistake (400 naming the field), not a null that fails deep inside the request as a 500. Fields that may
            // be null, have a default, or are numbers and flags stay optional, as they always were.
            json.SerializerOptions.RespectNullableAnnotations = true;
            json.SerializerOptions.TypeInfoResolver = (json.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(RequireNonNullableReferences);
            // "kind" may come anywhere in an ingest source, as people write JSON by hand, not only first.
            json.SerializerOptions.AllowOutOfOrderMetadataProperties = true;
            // A misspelt field is refused, not skipped: a release filter whose "verifiedOnly" is written "verified"
            // would otherwise cut a different data set without a word.
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        // A request the framework cannot read says why (the JSON reader's message names the field and position; a value
        // that does not bind names the parameter). Endpoints only throw for it in Development unless told to: otherwise
        // a production host answers 400 with an empty body.
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            if (context.Exception is BadHttpRequestException bad)
                context.ProblemDetails.Detail = UnreadableRequests.Explain(context.HttpContext, bad);
            // The database names a file the store no longer has (deleted by hand, a store restored from an older
            // backup): the answer says which, and the error is still logged for ops.
            else if (context.Exception is ObjectNotFoundException missing)
                context.ProblemDetails.Detail = $"The file is missing from the object store: {missing.Message}";
        });
        return builder;
    }

    private static void RequireNonNullableReferences(JsonTypeInfo type)
    {
        foreach (var property in type.Properties.Where(p => !p.PropertyType.IsValueType))
        {
            // Only what callers send is held to the annotations. Answers are written as they are: a null the types do
            // not expect (in a document an older build stored, say) is written as null rather than failing the request.
            property.IsGetNullable = true;
            if (property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false }) property.IsRequired = true;
        }
        RefuseNullItems(type);
    }

    /// <summary>
    /// The reader holds a field to its annotation but not the items of a list in it: <c>"roles": [null]</c> was read
    /// as a list holding null and failed deep in the request as a 500. Lists whose items are not annotated nullable
    /// are checked once their object is read.
    /// </summary>
    private static void RefuseNullItems(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        var lists = type.Properties.Where(p => p.Get is not null && ItemsAreNotNull(p)).ToArray();
        if (lists.Length == 0) return;
        var before = type.OnDeserialized;
        type.OnDeserialized = value =>
        {
            before?.Invoke(value);
            foreach (var list in lists)
                if (list.Get!(value) is IEnumerable items && items.Cast<object?>().Any(item => item is null))
                    throw new RefusedJsonValue("must not hold null items", list.Name);
        };
    }

    private static bool ItemsAreNotNull(JsonPropertyInfo property)
    {
        var nullability = property.AttributeProvider switch
        {
            PropertyInfo member => new NullabilityInfoContext().Create(member),
            FieldInfo member => new NullabilityInfoContext().Create(member),
            _ => null,
        };
        var item = nullability switch
        {
            { ElementType: { } element } => element,
            { GenericTypeArguments: [var only] } when property.PropertyType.IsAssignableTo(typeof(IEnumerable)) && property.PropertyType != typeof(string) => only,
            _ => null,
        };
        return item is { ReadState: NullabilityState.NotNull } && !item.Type.IsValueType;
    }

    /// <summary>
    /// Errors as problem details, choices in the address read in any case, then who you are, what you may do,
    /// how often you may try to sign in, answers kept for the endpoints that ask (the API description), and
    /// antiforgery for every form post.
    /// </summary>
    public static WebApplication UseWebPipeline(this WebApplication app)
    {
        app.UseRoutingThatAnswersHead();
        // A request the framework refuses (bad form, antiforgery) keeps its 4xx status instead of becoming a 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = error => error switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                ObjectNotFoundException => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status500InternalServerError,
            },
            // The caller's mistake, answered: not logged as the server's error.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        // A page address nothing answers (mistyped, an old bookmark, /releases/abc) loads the app with its 404, and the
        // router shows the not-found page, rather than the browser showing its own error page for an empty answer.
        // The HTTP API keeps its problem details: its requests turn this off before they reach the API's own refusals.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use((http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/api")) http.Features.Get<IStatusCodePagesFeature>()!.Enabled = false;
            return next(http);
        });
        app.UseStatusCodePages(ApiRefusals.ExplainAsync);
        app.UseQueryFields();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseOutputCache();
        app.UseAntiforgery();
        return app;
    }
}
