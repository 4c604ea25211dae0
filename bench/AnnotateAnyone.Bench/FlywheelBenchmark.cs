using System.Diagnostics;
using System.Security.Cryptography;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Routing;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using AnnotateAnyone.Model.Compute;
using AnnotateAnyone.Worker.Ingest;
using AnnotateAnyone.Worker.Synthetic;
using AnnotateAnyone.Worker.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace AnnotateAnyone.Bench;

/// <summary>
/// The flywheel on synthetic people whose truth is known: rounds of images go through the captioner, the routing
/// policy (the product's confidence profiles, Wilson thresholds and audit share, and its routing again after each
/// tenth of a round with what the reviews measured) and a simulated annotator who errs
/// on 2% of labels and reviews exactly what the policy sends; after each round the captioner retrains on every
/// human label so far and is promoted only if it beats the active one on the same held-out images. Beside it, on the
/// same rounds, models and annotator (retraining continues from the active captioner, as the Worker's does): all-human review, AI-only, and CosmicMan's rule (humans take every attribute
/// whose held-out accuracy is under 85%, the AI the rest).
/// </summary>
public static class FlywheelBenchmark
{
    private static readonly int[] RoundSizes = [500, 900, 1300, 1700];
    /// <summary>
    /// Other accuracy targets data leads could set, routed side by side on the same answers: where ours stands against
    /// CosmicMan's rule at the accuracy the rule reaches. Each uses the evidence ours gathered (the attributes ours sent
    /// whole to people), as the baselines use ours' captioners; a run at one of them (AA_BENCH_FLYWHEEL_TARGET) measures
    /// it without that shortcut.
    /// </summary>
    private static readonly double[] OtherTargets = [0.95, 0.93, 0.90];
    private const double AnnotatorErrorRate = 0.02, AuditShare = 0.05, GoldShare = 0.05, Z = 1.645, CosmicManCutoff = 0.85, RerouteShare = 0.1;

    /// <summary>Every attribute's accuracy target: the product's default unless AA_BENCH_FLYWHEEL_TARGET sets another.</summary>
    /// <exception cref="ArgumentException">The setting is not an accuracy the routing service takes.</exception>
    private static double TargetFromEnvironment()
    {
        if (Environment.GetEnvironmentVariable("AA_BENCH_FLYWHEEL_TARGET") is not { Length: > 0 } text) return new RoutingOptions().DefaultTarget;
        // What the routing service accepts for a data lead's target; "95" for 95% would otherwise route nothing.
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var target) && RoutingOptions.IsTarget(target))
            return target;
        throw new ArgumentException($"AA_BENCH_FLYWHEEL_TARGET must be an accuracy between 0.5 and 1 (0.95 for 95%), not \"{text}\".");
    }
    /// <summary>
    /// The captioner as a Worker's settings make it (<c>Captioner__Backbone</c>, <c>__PretrainedEncoder</c>,
    /// <c>__ImageSize</c>, <c>__Epochs</c>, ... in the environment), checked as the Worker checks them: the flywheel measured
    /// with another encoder, such as ResNet-18 from ImageNet weights on a GPU node. Unset, the product's defaults.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting the Worker would refuse.</exception>
    private static CaptionerOptions CaptionerOptionsFromEnvironment()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddCaptioner();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<CaptionerOptions>>().Value;
    }

    /// <summary>
    /// The generator's own default side. The captioner reads what ingest stores of such a picture, a thumbnail of
    /// <see cref="IngestOptions.ThumbnailSize"/> pixels re-encoded as JPEG, as it does in the product.
    /// </summary>
    private const int PictureSide = 512, Seed = 2024;

    public static Task<BenchResult> RunAsync(BenchEnvironment environment)
    {
        var target = TargetFromEnvironment();
        var options = CaptionerOptionsFromEnvironment();
        var device = ComputeDevice.Detect();
        var spec = options.SpecFor(CaptionerHeads.For(DefaultTaxonomy.Spec));
        Console.WriteLine($"captioner: the {spec.Backbone} encoder at {spec.ImageSize} px, {options.Epochs} epochs" +
            $"{(options.PretrainedEncoder is { Length: > 0 } pretrained ? $", v1 started from {pretrained}" : "")}, on {device.Name}");
        var clock = Stopwatch.StartNew();
        var images = Generate(spec, RoundSizes.Sum());
        Console.WriteLine($"{images.Count} synthetic people drawn in {clock.Elapsed.TotalSeconds:F0} s; {images.Sum(i => i.Labels):N0} labels; {spec.Heads.Count} attributes");

        var annotator = new Random(Seed + 1);
        var human = images.Select(i => i.Truth.Select((t, h) => t < 0 ? -1 : Annotate(t, spec.Heads[h], annotator)).ToArray()).ToArray();
        var gold = new GoldChecks(new Random(Seed + 2), (int)Math.Round(images.Average(i => i.Labels)), target);
        var ours = new Tally();
        var allHuman = new Tally();
        var aiOnly = new Tally();
        var cosmicMan = new Tally();
        var lower = OtherTargets.Where(other => other != target).Select(other => new OtherTarget(other)).ToArray();
        var humanLabels = new int[images.Count][];
        Captioner? active = null;
        var start = 0;
        Console.WriteLine("round  images  labels  AI accuracy  ours: human share  accuracy  |  CosmicMan rule: human share  accuracy  |  AI-only accuracy  captioner");
        for (var round = 0; round < RoundSizes.Length; round++)
        {
            var members = Enumerable.Range(start, RoundSizes[round]).ToArray();
            start += RoundSizes[round];
            var roundTally = new Tally();
            var roundCosmic = new Tally();
            var roundAi = new Tally();
            var byAttribute = spec.Heads.Select(_ => new Tally()).ToArray();
            var answered = spec.Heads.Select(_ => new List<(float Confidence, bool Correct)>()).ToArray();
            var predictions = active?.Model.Predict(members.Select(i => images[i].Pixels).ToList(), members.Select(i => (GivenParsing?)images[i].Parsing).ToList());
            var thresholds = new Dictionary<int, float>();
            for (var m = 0; m < members.Length; m++)
            {
                // As the product does, the round is routed again each time another tenth of it has been reviewed.
                if (m % (int)Math.Ceiling(members.Length * RerouteShare) == 0)
                {
                    thresholds = active?.Thresholds(gold.AgreementNeeded) ?? [];
                    foreach (var routing in lower) routing.Thresholds = active?.Thresholds(gold.AgreementNeeded * routing.Target / target) ?? [];
                }
                var i = members[m];
                humanLabels[i] = Enumerable.Repeat(-1, spec.Heads.Count).ToArray();
                var audit = IsAudit(i);
                for (var h = 0; h < spec.Heads.Count; h++)
                {
                    var truth = images[i].Truth[h];
                    if (truth < 0) continue;
                    var answer = predictions?[m].Heads[h];
                    var proposed = answer is null ? -1 : Encode(answer, spec.Heads[h]);
                    var trusted = answer is not null && !audit && thresholds.TryGetValue(h, out var threshold) && answer.Confidence >= threshold;
                    byAttribute[h].Add(proposed == truth, byHuman: !trusted);
                    if (answer is not null) answered[h].Add((answer.Confidence, proposed == truth));
                    if (trusted) roundTally.Add(proposed == truth, byHuman: false);
                    else
                    {
                        humanLabels[i][h] = human[i][h];
                        roundTally.Add(human[i][h] == truth, byHuman: true);
                        if (answer is not null && (audit || !thresholds.ContainsKey(h))) active!.Measured[h].Add((answer.Confidence, proposed == human[i][h]));
                    }
                    allHuman.Add(human[i][h] == truth, byHuman: true);
                    roundAi.Add(answer is null ? human[i][h] == truth : proposed == truth, byHuman: answer is null);
                    var cosmicTrusts = answer is not null && active!.HeldOutAccuracy[h] >= CosmicManCutoff;
                    foreach (var routing in lower)
                    {
                        var accepted = answer is not null && !audit && routing.Thresholds.TryGetValue(h, out var bar) && answer.Confidence >= bar;
                        routing.Round.Add(accepted ? proposed == truth : human[i][h] == truth, byHuman: !accepted);
                    }
                    roundCosmic.Add(cosmicTrusts ? proposed == truth : human[i][h] == truth, byHuman: !cosmicTrusts);
                }
            }
            gold.Answer(images: (int)Math.Round(members.Length * GoldShare));
            ours.Plus(roundTally);
            cosmicMan.Plus(roundCosmic);
            aiOnly.Plus(roundAi);
            var aiAccuracy = predictions is null ? double.NaN : roundAi.Accuracy;
            Console.WriteLine($"{round + 1,5}  {members.Length,6}  {roundTally.Labels,6}  {Show(aiAccuracy),11}  {Show(roundTally.HumanShare),17}  {Show(roundTally.Accuracy),8}  |  " +
                $"{Show(roundCosmic.HumanShare),28}  {Show(roundCosmic.Accuracy),8}  |  {Show(roundAi.Accuracy),16}  {active?.Name ?? "none"}");
            ours.LastRoundHumanShare = roundTally.HumanShare;
            foreach (var routing in lower) routing.EndRound();
            if (active is not null)
            {
                Console.WriteLine("       where people's labels went (attribute: labels, share a person saw, the AI's accuracy): " + string.Join(", ",
                    byAttribute.Select((tally, h) => (tally, h)).Where(a => a.tally.Human > 0).OrderByDescending(a => a.tally.Human)
                        .Select(a => $"{spec.Heads[a.h].Attribute} {a.tally.Labels} {Show(a.tally.HumanShare)} {Show(a.tally.Accuracy)}")));
                Console.WriteLine($"       thresholds chosen on this round's truth (each attribute's most confident answers that are {Show(target)} right) " +
                    $"would have left {Show(1 - answered.Sum(a => OracleAccepted(a, target)) / (double)roundTally.Labels)} of its labels to people: what the captioner allows at best");
                Console.WriteLine($"       {active.Name} trusted with {thresholds.Count} attributes by the round's last routing: " +
                    string.Join(", ", thresholds.Keys.Order().Select(h => spec.Heads[h].Attribute)));
            }
            if (round == RoundSizes.Length - 1) break;

            clock.Restart();
            var candidate = Train(spec, options, device.Torch, images, humanLabels, round, active);
            var promoted = active is null || candidate.MeanAccuracy > active.MeanAccuracyOn(candidate.HeldOut, images);
            var candidateThresholds = candidate.Thresholds(gold.AgreementNeeded);
            Console.WriteLine($"       retrained on {candidate.TrainCount:N0} images ({candidate.HeldOut.Length:N0} held out) in {clock.Elapsed.TotalSeconds:F0} s: " +
                $"held-out accuracy {Show(candidate.MeanAccuracy)}, {candidateThresholds.Count} of {spec.Heads.Count} attributes trusted above a threshold " +
                $"(agreement with annotators needed: {Show(gold.AgreementNeeded)}, their accuracy on {gold.Answers:N0} gold answers at most {Show(gold.AnnotatorAccuracy)}), " +
                (promoted ? "promoted" : "kept the active one"));
            if (candidateThresholds.Count > 0)
                Console.WriteLine("       trusted from (confidence): " + string.Join(", ", candidateThresholds.OrderBy(t => t.Value).Select(t => $"{spec.Heads[t.Key].Attribute} {t.Value:F2}")));
            if (promoted) { active?.Model.Dispose(); active = candidate; }
            else candidate.Model.Dispose();
        }

        if (active is not null)
            Console.WriteLine($"{active.Name} on its held-out people, by attribute: " + string.Join(", ", spec.Heads.Select((head, h) => (head.Attribute, Accuracy: active.HeldOutAccuracy[h]))
                .Where(a => a.Accuracy > 0).OrderByDescending(a => a.Accuracy).Select(a => $"{a.Attribute} {Show(a.Accuracy)}")));
        Console.WriteLine($"overall: ours {Show(ours.HumanShare)} human, {Show(ours.Accuracy)} accurate; all-human {Show(allHuman.Accuracy)}; AI-only {Show(aiOnly.Accuracy)} " +
            $"({Show(aiOnly.HumanShare)} human: the first round); CosmicMan's rule {Show(cosmicMan.HumanShare)} human, {Show(cosmicMan.Accuracy)} accurate");
        Console.WriteLine($"ours at a {Show(target)} target; with other targets, on the same answers: " +
            string.Join("; ", lower.Select(r => $"{Show(r.Target)}: {Show(r.Tally.HumanShare)} human ({Show(r.Tally.LastRoundHumanShare)} in the last round), {Show(r.Tally.Accuracy)} accurate")));
        return Task.FromResult(new BenchResult(ours.HumanShare, ("final_accuracy", ours.Accuracy), ("last_round_human_share", ours.LastRoundHumanShare),
            ("all_human_accuracy", allHuman.Accuracy), ("ai_only_accuracy", aiOnly.Accuracy), ("cosmicman_rule_human_share", cosmicMan.HumanShare),
            ("cosmicman_rule_accuracy", cosmicMan.Accuracy)));
    }

    private sealed record SimImage(byte[] Pixels, int[] Truth, int Usable, byte[] Sha256, GivenParsing Parsing)
    {
        public int Labels => Truth.Count(t => t >= 0);
    }

    /// <summary>Routing at another accuracy target: its thresholds at the latest routing, and what it would have made.</summary>
    private sealed class OtherTarget(double target)
    {
        public double Target => target;
        public Dictionary<int, float> Thresholds { get; set; } = [];
        public Tally Tally { get; } = new();
        public Tally Round { get; private set; } = new();

        public void EndRound()
        {
            Tally.Plus(Round);
            Tally.LastRoundHumanShare = Round.HumanShare;
            Round = new Tally();
        }
    }

    private sealed class Tally
    {
        public int Labels { get; private set; }
        public int Correct { get; private set; }
        public int Human { get; private set; }
        public double LastRoundHumanShare { get; set; }
        public double Accuracy => Labels == 0 ? double.NaN : Correct / (double)Labels;
        public double HumanShare => Labels == 0 ? double.NaN : Human / (double)Labels;

        public void Add(bool correct, bool byHuman)
        {
            Labels++;
            if (correct) Correct++;
            if (byHuman) Human++;
        }

        public void Plus(Tally other) => (Labels, Correct, Human) = (Labels + other.Labels, Correct + other.Correct, Human + other.Human);
    }

    /// <summary>A trained captioner with what routing knows of it: held-out evidence, thresholds, and audits so far.</summary>
    private sealed class Captioner(string name, CaptionerModel model, CaptionerEvaluation evaluation, int[] heldOut, int trainCount, double heldOutShare)
    {
        public string Name => name;
        public double HeldOutShare => heldOutShare;
        public CaptionerModel Model => model;
        public int[] HeldOut => heldOut;
        public int TrainCount => trainCount;
        public double MeanAccuracy => evaluation.MeanAccuracy;
        public double[] HeldOutAccuracy { get; } = evaluation.Heads.Select(h => h.Count == 0 ? 0 : h.Accuracy).ToArray();
        /// <summary>Its answers that went to annotators whatever their confidence: audit images, and attributes it was not yet trusted with.</summary>
        public List<(float Confidence, bool Correct)>[] Measured { get; } = evaluation.Heads.Select(_ => new List<(float, bool)>()).ToArray();

        /// <summary>As the routing service computes them: held-out and audit evidence together, Wilson bound against the agreement needed.</summary>
        public Dictionary<int, float> Thresholds(double agreementNeeded)
        {
            var thresholds = new Dictionary<int, float>();
            for (var h = 0; h < evaluation.Heads.Count; h++)
                if (ConfidenceProfile.From(evaluation.Heads[h].Outcomes).Plus(ConfidenceProfile.From(Measured[h])).Threshold(agreementNeeded, Z) is { } t)
                    thresholds[h] = t;
            return thresholds;
        }

        /// <summary>This captioner's mean accuracy on another's held-out images, over the heads both were evaluated on.</summary>
        public double MeanAccuracyOn(int[] images, IReadOnlyList<SimImage> all) =>
            CaptionerTrainer.Evaluate(model, new Examples(images.Select(i => new CaptionerExample(all[i].Pixels, all[i].Truth, all[i].Usable, all[i].Parsing)).ToList()), fitTemperatures: false).MeanAccuracy;
    }

    private static Captioner Train(CaptionerSpec spec, CaptionerOptions options, torch.Device device, IReadOnlyList<SimImage> images, int[]?[] humanLabels, int round, Captioner? active)
    {
        var verified = Enumerable.Range(0, images.Count).Where(i => humanLabels[i] is { } l && l.Any(t => t >= 0)).ToArray();
        var share = HeldOutShare.For(verified.Length, active?.HeldOutShare, options);
        var heldOut = verified.Where(i => TrainingSet.IsHeldOut(images[i].Sha256, share)).ToArray();
        var train = verified.Except(heldOut).ToArray();
        CaptionerExample Example(int i) => new(images[i].Pixels, humanLabels[i]!, images[i].Usable, images[i].Parsing);
        torch.random.manual_seed(Seed + round);
        var model = new CaptionerModel(spec, device);
        if (active is not null) model.ContinueFrom(active.Model);
        else if (options.PretrainedEncoder is { Length: > 0 } pretrained) model.LoadPretrainedEncoder(pretrained);
        CaptionerTrainer.Train(model, new Examples(train.Select(Example).ToList()),
            new TrainingOptions(options.Epochs, options.BatchSize, options.LearningRate, Seed + round, int.MaxValue, options.Threads), Quiet.Instance);
        var evaluation = CaptionerTrainer.Evaluate(model, new Examples(heldOut.Select(Example).ToList()));
        return new Captioner($"v{round + 1}", model, evaluation, heldOut, train.Length, share);
    }

    private static List<SimImage> Generate(CaptionerSpec spec, int count)
    {
        var images = new SimImage[count];
        Parallel.For(0, count, i =>
        {
            var person = SyntheticPeople.Generate(Seed, i, PictureSide, PictureSide);
            using var original = ThumbnailPixels.Decode(person.Jpeg);
            using var thumbnail = Thumbnails.Shrink(original, new IngestOptions().ThumbnailSize);
            using var picture = ThumbnailPixels.Decode(Thumbnails.EncodeJpeg(thumbnail));
            var pixels = ThumbnailPixels.Square(picture, spec.ImageSize);
            images[i] = new SimImage(pixels, TrainingSet.Targets(spec, person.Truth), person.Usable ? 1 : 0, SHA256.HashData(person.Jpeg),
                ParsingMaps.ForCaptioner(person.ParsingMapPng, picture, pixels, spec));
        });
        return [.. images];
    }

    /// <summary>
    /// The annotator's answers on gold images, which the product mixes into review (5% of claims): how routing
    /// learns how often annotators are right. Their cost is not in the human share: gold images are not the data set's.
    /// </summary>
    private sealed class GoldChecks(Random annotator, int labelsPerImage, double target)
    {
        public int Answers { get; private set; }
        private int _right;

        /// <summary>The upper Wilson bound, as the routing service takes it.</summary>
        public double AnnotatorAccuracy => Wilson.UpperBound(_right, Answers, Z);

        /// <summary>The routing service's rule: the target times the annotators' accuracy.</summary>
        public double AgreementNeeded => target * AnnotatorAccuracy;

        public void Answer(int images)
        {
            for (var label = 0; label < images * labelsPerImage; label++, Answers++)
                if (annotator.NextDouble() >= AnnotatorErrorRate) _right++;
        }
    }

    /// <summary>The simulated annotator: right with probability 98%, otherwise a wrong value (one flipped value for multiple choice).</summary>
    private static int Annotate(int truth, HeadSpec head, Random random)
    {
        if (random.NextDouble() >= AnnotatorErrorRate) return truth;
        if (head.MultipleChoice) return truth ^ 1 << random.Next(head.Values.Count);
        var wrong = random.Next(head.Values.Count - 1);
        return wrong >= truth ? wrong + 1 : wrong;
    }

    /// <summary>How many of an attribute's answers, most confident first, can be accepted while those accepted stay at the target against the truth.</summary>
    private static int OracleAccepted(List<(float Confidence, bool Correct)> answers, double target)
    {
        var (right, accepted) = (0, 0);
        var byConfidence = answers.OrderByDescending(a => a.Confidence).ToList();
        for (var k = 0; k < byConfidence.Count; k++)
        {
            if (byConfidence[k].Correct) right++;
            if (right >= target * (k + 1)) accepted = k + 1;
        }
        return accepted;
    }

    private static int Encode(HeadPrediction answer, HeadSpec head) =>
        head.MultipleChoice ? answer.Values.Aggregate(0, (mask, v) => mask | 1 << v) : answer.Values[0];

    /// <summary>The product's audit draw is a hash of the image id; any fixed pseudo-random 5% behaves the same.</summary>
    private static bool IsAudit(int image) => (uint)HashCode.Combine(image, 77) % 1000 < AuditShare * 1000;

    private static string Show(double value) => double.IsNaN(value) ? "—" : $"{value * 100:F1}%";

    private sealed class Examples(IReadOnlyList<CaptionerExample> examples) : ICaptionerData
    {
        public int Count => examples.Count;

        public CaptionerExample Get(int index) => examples[index];
    }

    private sealed class Quiet : ITrainingObserver
    {
        public static readonly Quiet Instance = new();

        public void Step(int step, int totalSteps, double loss) { }

        public void Checkpoint(int step, Action<Stream> write) { }

        public bool CancellationRequested => false;
    }
}
