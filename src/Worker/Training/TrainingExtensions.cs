using AnnotateAnyone.Model.Captioner;
using AnnotateAnyone.Worker.Running;

namespace AnnotateAnyone.Worker.Training;

public static class TrainingExtensions
{
    /// <summary>The captioner's jobs: training, pre-annotation, the machine half of a round, and routing rounds again as reviews come in.</summary>
    public static IHostApplicationBuilder AddCaptioner(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CaptionerOptions>()
            .Bind(builder.Configuration.GetSection(CaptionerOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.ImageSize % 32 == 0, "Captioner:ImageSize must be a multiple of 32 (the encoder halves it five times).")
            .Validate(o => o.Widths is null || o.Widths is [> 0, > 0, > 0, > 0], "Captioner:Widths takes four positive stage widths (Captioner__Widths__0 to __3).")
            .Validate(o => o.Backbone != CaptionerBackbone.ResNet18 || o.EncoderWidths[2] == ResNet18Backbone.FeatureWidth && o.EncoderWidths[3] == ResNet18Backbone.DeepWidth,
                $"With Captioner:Backbone ResNet18 the last two Captioner:Widths are ResNet-18's own, {ResNet18Backbone.FeatureWidth} and {ResNet18Backbone.DeepWidth} (or leave Captioner:Widths unset).")
            .Validate(o => o.MinValidationShare <= o.MaxValidationShare, "Captioner:MinValidationShare must not exceed Captioner:MaxValidationShare.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CaptionerStore>();
        builder.Services.AddSingleton<TrainingSet>();
        builder.Services.AddSingleton<PreAnnotator>();
        builder.Services.AddTransient<IJobHandler, TrainCaptionerJob>();
        builder.Services.AddTransient<IJobHandler, PreAnnotateJob>();
        builder.Services.AddTransient<IJobHandler, RoundJob>();
        builder.Services.AddHostedService<RoundUpkeep>();
        return builder;
    }
}
