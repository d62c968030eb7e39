package bindings;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdkivsrealtime.AutoParticipantRecordingOptions;
import io.github.cdkivsrealtime.ChannelCompositionDestinationOptions;
import io.github.cdkivsrealtime.CompositionDestination;
import io.github.cdkivsrealtime.CompositionEventName;
import io.github.cdkivsrealtime.CompositionLayout;
import io.github.cdkivsrealtime.CompositionRuleOptions;
import io.github.cdkivsrealtime.EncoderConfiguration;
import io.github.cdkivsrealtime.EncoderVideo;
import io.github.cdkivsrealtime.EncoderVideoProps;
import io.github.cdkivsrealtime.IngestConfiguration;
import io.github.cdkivsrealtime.IngestProtocol;
import io.github.cdkivsrealtime.IvsRealtimeDashboard;
import io.github.cdkivsrealtime.WatchedFunctionOptions;
import io.github.cdkivsrealtime.ParticipantThumbnailOptions;
import io.github.cdkivsrealtime.ParticipantTokenIssuer;
import io.github.cdkivsrealtime.PublicKey;
import io.github.cdkivsrealtime.PipLayoutOptions;
import io.github.cdkivsrealtime.ParticipantCapability;
import io.github.cdkivsrealtime.PipPosition;
import io.github.cdkivsrealtime.PublicKeyMaterial;
import io.github.cdkivsrealtime.RecordingMediaType;
import io.github.cdkivsrealtime.RoomCapabilityClaimOptions;
import io.github.cdkivsrealtime.RoomCapabilityPolicy;
import io.github.cdkivsrealtime.RoomsBrowserEndpointOptions;
import io.github.cdkivsrealtime.StartCompositionGrantOptions;
import io.github.cdkivsrealtime.S3CompositionDestinationOptions;
import io.github.cdkivsrealtime.Stage;
import io.github.cdkivsrealtime.StageComposition;
import io.github.cdkivsrealtime.StageRooms;
import io.github.cdkivsrealtime.StorageConfiguration;
import io.github.cdkivsrealtime.ThumbnailRecordingMode;
import io.github.cdkivsrealtime.ThumbnailStorage;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.ivs.CfnChannel;
import software.amazon.awscdk.services.ivs.CfnEncoderConfiguration;
import software.amazon.awscdk.services.ivs.CfnStage;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;

/**
 * Defines a stack with every construct of cdk-ivs-realtime through its Java binding, synthesizes
 * it and checks the template. Exits non-zero with a message on the first mismatch.
 */
public final class App {
    private static final String STACK_NAME = "BindingsStack";
    private static final Map<String, String> STACK_TAGS = Map.of("cost-center", "42");
    private static final String ROOMS_JWT_ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example";
    private static final List<String> SECRET_READ_ACTIONS =
        List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret");

    /**
     * Defines every construct of the library (a new construct goes here); returns the grantee
     * roles by name.
     */
    static Map<String, Role> defineStack(Stack stack) {
        Bucket bucket = Bucket.Builder.create(stack, "RecordingsBucket")
            .encryption(BucketEncryption.S3_MANAGED)
            .build();
        StorageConfiguration recordings = StorageConfiguration.Builder.create(stack, "Recordings")
            .bucket(bucket)
            .storageConfigurationName("bindings-recordings")
            .build();
        Stage stage = Stage.Builder.create(stack, "Stage")
            .stageName("bindings-stage")
            .autoParticipantRecording(AutoParticipantRecordingOptions.builder()
                .storageConfiguration(recordings)
                .mediaTypes(List.of(RecordingMediaType.AUDIO_ONLY))
                .thumbnails(ParticipantThumbnailOptions.builder()
                    .recordingMode(ThumbnailRecordingMode.INTERVAL)
                    .storage(List.of(ThumbnailStorage.SEQUENTIAL, ThumbnailStorage.LATEST))
                    .targetInterval(Duration.minutes(2))
                    .build())
                .recordingReconnectWindow(Duration.seconds(60))
                .hlsTargetSegmentDuration(Duration.seconds(10))
                .recordParticipantReplicas(false)
                .build())
            .tags(Map.of("team", "video"))
            .build();
        IngestConfiguration ingest = IngestConfiguration.Builder.create(stack, "Encoder")
            .ingestProtocol(IngestProtocol.RTMPS)
            .stage(stage)
            .ingestConfigurationName("bindings-encoder")
            .userId("studio-a")
            .attributes(Map.of("role", "host"))
            .build();
        EncoderConfiguration fullHd = EncoderConfiguration.Builder.create(stack, "FullHd")
            .encoderConfigurationName("bindings-full-hd")
            .video(EncoderVideo.FULL_HD_1080)
            .build();
        EncoderConfiguration.Builder.create(stack, "Square")
            .encoderConfigurationName("bindings-square")
            .video(EncoderVideo.custom(EncoderVideoProps.builder()
                .width(1080)
                .height(1080)
                .framerate(29.97)
                .bitrate(4_500_000)
                .build()))
            .build();
        PublicKey tokenKey = PublicKey.Builder.create(stack, "TokenKey")
            .publicKeyName("bindings-token-key")
            .publicKeyMaterial(PublicKeyMaterial.generate())
            .build();
        // A key whose private half never leaves KMS, and the issuer that signs tokens with it.
        PublicKey kmsKey = PublicKey.Builder.create(stack, "KmsKey")
            .publicKeyName("bindings-kms-key")
            .publicKeyMaterial(PublicKeyMaterial.generateInKms())
            .build();
        ParticipantTokenIssuer issuer = ParticipantTokenIssuer.Builder.create(stack, "Tokens")
            .stages(List.of(stage))
            .signingKey(kmsKey)
            .build();
        STACK_TAGS.forEach((key, value) -> Tags.of(stack).add(key, value));

        // The backend mints participant tokens, through the API or signed with the private key;
        // the encoder setup hands the stream key to the encoder.
        Role backend = Role.Builder.create(stack, "Backend")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .build();
        stage.grantCreateParticipantToken(backend);
        tokenKey.grantReadPrivateKey(backend);
        Role encoderSetup = Role.Builder.create(stack, "EncoderSetup")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .build();
        ingest.grantReadStreamKey(encoderSetup);

        // The run-time side: the backend starts compositions, with an L1 encoder configuration
        // beside one of ours (a reference interface takes either); a rule reacts to compositions
        // ending; an alarm watches packet loss.
        CfnEncoderConfiguration l1Encoder = CfnEncoderConfiguration.Builder.create(stack, "L1Encoder")
            .name("bindings-l1-encoder")
            .build();
        stage.getGrants().startComposition(backend, StartCompositionGrantOptions.builder()
            .encoderConfigurations(List.of(fullHd, l1Encoder))
            .storageConfiguration(recordings)
            .build());
        stage.onCompositionStateChange("CompositionEnded", CompositionRuleOptions.builder()
            .eventNames(List.of(CompositionEventName.SESSION_END))
            .build());
        stage.metricDownloadPacketLoss().createAlarm(stack, "PacketLoss", CreateAlarmOptions.builder()
            .threshold(5)
            .evaluationPeriods(3)
            .build());
        issuer.grantInvoke(backend);

        // The stage composes itself: one video per session into S3, and a broadcast to an L1
        // low-latency channel with the L1 encoder configuration.
        CfnChannel channel = CfnChannel.Builder.create(stack, "Channel").name("bindings-channel").latencyMode("LOW").build();
        StageComposition composition = StageComposition.Builder.create(stack, "Composition")
            .stage(stage)
            .layout(CompositionLayout.pip(PipLayoutOptions.builder()
                .pipParticipantAttribute("host")
                .pipPosition(PipPosition.TOP_RIGHT)
                .build()))
            .destinations(List.of(
                CompositionDestination.s3(S3CompositionDestinationOptions.builder()
                    .storageConfiguration(recordings)
                    .encoderConfiguration(fullHd)
                    .hlsTargetSegmentDuration(Duration.seconds(4))
                    .build()),
                CompositionDestination.channel(ChannelCompositionDestinationOptions.builder()
                    .channel(channel)
                    .encoderConfiguration(l1Encoder)
                    .build())))
            .build();

        // Rooms on demand: a stage made as a room's first user joins, tokens signed with the KMS
        // key, browsers joining through the app's identity provider and backends directly.
        StageRooms rooms = StageRooms.Builder.create(stack, "Rooms")
            .signingKey(kmsKey)
            .stageNamePrefix("class-")
            .idleTimeout(Duration.minutes(30))
            .browserEndpoint(RoomsBrowserEndpointOptions.builder()
                .jwtIssuer(ROOMS_JWT_ISSUER)
                .jwtAudience(List.of("bindings-client"))
                .capabilityPolicy(RoomCapabilityPolicy.byClaim(RoomCapabilityClaimOptions.builder()
                    .claim("cognito:groups")
                    .values(List.of("host"))
                    .granted(List.of(ParticipantCapability.PUBLISH, ParticipantCapability.SUBSCRIBE))
                    .build()))
                .build())
            .build();
        Role roomsBackend = Role.Builder.create(stack, "RoomsBackend")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .build();
        rooms.grantJoin(roomsBackend);
        return Map.of("backend", backend, "encoderSetup", encoderSetup, "roomsBackend", roomsBackend,
            "issuer", (Role) issuer.getNode().findChild("ServiceRole"),
            "composer", (Role) composition.getNode().findChild("ServiceRole"));
    }

    static void check(Map<String, Object> template, String outdir, Map<String, String> granteeIds) throws Exception {
        Map<String, Object> resources = map(template.get("Resources"));

        String bucketId = oneLogicalId(resources, "AWS::S3::Bucket");
        expectEqual("AWS::S3::Bucket BucketEncryption", properties(resources, bucketId).get("BucketEncryption"),
            Map.of("ServerSideEncryptionConfiguration", List.of(
                Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))));

        String storageId = oneLogicalId(resources, "Custom::IvsStorageConfiguration");
        expectEqual("Custom::IvsStorageConfiguration properties", ivsProperties(resources, storageId), Map.of(
            "Name", "bindings-recordings",
            "S3", Map.of("BucketName", Map.of("Ref", bucketId)),
            "Tags", STACK_TAGS));

        String stageId = oneLogicalId(resources, "Custom::IvsStage");
        expectEqual("Custom::IvsStage properties", ivsProperties(resources, stageId), Map.of(
            "Name", "bindings-stage",
            "AutoParticipantRecordingConfiguration", Map.of(
                "StorageConfigurationArn", Map.of("Fn::GetAtt", List.of(storageId, "Arn")),
                "MediaTypes", List.of("AUDIO_ONLY"),
                "ThumbnailConfiguration", Map.of(
                    "RecordingMode", "INTERVAL",
                    "Storage", List.of("SEQUENTIAL", "LATEST"),
                    "TargetIntervalSeconds", "120"),
                "RecordingReconnectWindowSeconds", "60",
                "HlsTargetSegmentDurationSeconds", "10",
                "RecordParticipantReplicas", "false"),
            "Tags", Map.of("cost-center", "42", "team", "video")));

        String ingestId = oneLogicalId(resources, "Custom::IvsIngestConfiguration");
        Map<String, Object> ingest = ivsProperties(resources, ingestId);
        String streamKeySecretId = secretId(resources, "StreamKeySecretArn", ingest.get("StreamKeySecretArn"));
        expectEqual("Custom::IvsIngestConfiguration properties", ingest, Map.of(
            "Name", "bindings-encoder",
            "IngestProtocol", "RTMPS",
            "StageArn", Map.of("Fn::GetAtt", List.of(stageId, "Arn")),
            "UserId", "studio-a",
            "Attributes", Map.of("role", "host"),
            "InsecureIngest", "false",
            "RedundantIngest", "false",
            "StreamKeySecretArn", Map.of("Ref", streamKeySecretId),
            "Tags", STACK_TAGS));

        List<Map<String, Object>> encoders = logicalIds(resources, "Custom::IvsEncoderConfiguration").stream()
            .map(id -> ivsProperties(resources, id))
            .sorted(Comparator.comparing(encoder -> String.valueOf(encoder.get("Name"))))
            .collect(Collectors.toList());
        expectEqual("Custom::IvsEncoderConfiguration properties", encoders, List.of(
            Map.of(
                "Name", "bindings-full-hd",
                "Video", Map.of("Width", "1920", "Height", "1080", "Framerate", "30", "Bitrate", "6000000"),
                "Tags", STACK_TAGS),
            Map.of(
                "Name", "bindings-square",
                "Video", Map.of("Width", "1080", "Height", "1080", "Framerate", "29.97", "Bitrate", "4500000"),
                "Tags", STACK_TAGS)));

        Map<String, String> keyIds = new HashMap<>();
        for (String id : logicalIds(resources, "Custom::IvsPublicKey")) {
            keyIds.put(String.valueOf(ivsProperties(resources, id).get("Name")), id);
        }
        expectEqual("Custom::IvsPublicKey names", keyIds.keySet().stream().sorted().collect(Collectors.toList()),
            List.of("bindings-kms-key", "bindings-token-key"));
        Map<String, Object> key = ivsProperties(resources, keyIds.get("bindings-token-key"));
        String privateKeySecretId = secretId(resources, "PrivateKeySecretArn", key.get("PrivateKeySecretArn"));
        // No PublicKeyMaterial: the key pair is generated at deploy time.
        expectEqual("Custom::IvsPublicKey properties", key, Map.of(
            "Name", "bindings-token-key",
            "PrivateKeySecretArn", Map.of("Ref", privateKeySecretId),
            "Tags", STACK_TAGS));

        // The KMS-backed key: no material and no secret, the ARN of a P-384 signing key of the stack.
        String kmsKeyId = oneLogicalId(resources, "AWS::KMS::Key");
        Map<String, Object> kmsKey = properties(resources, kmsKeyId);
        expectEqual("AWS::KMS::Key spec and usage", List.of(kmsKey.get("KeySpec"), kmsKey.get("KeyUsage")),
            List.of("ECC_NIST_P384", "SIGN_VERIFY"));
        expectEqual("Custom::IvsPublicKey properties of the KMS-backed key",
            ivsProperties(resources, keyIds.get("bindings-kms-key")), Map.of(
                "Name", "bindings-kms-key",
                "KmsKeyArn", Map.of("Fn::GetAtt", List.of(kmsKeyId, "Arn")),
                "Tags", STACK_TAGS));
        checkIssuer(resources, granteeIds.get("issuer"), stageId, kmsKeyId, keyIds.get("bindings-kms-key"));
        checkRooms(resources, granteeIds.get("roomsBackend"), kmsKeyId, keyIds.get("bindings-kms-key"));

        checkNoSecretInTemplate(template, List.of(streamKeySecretId, privateKeySecretId));
        checkComposition(resources, granteeIds.get("composer"), stageId, storageId);

        Object stageArn = Map.of("Fn::GetAtt", List.of(stageId, "Arn"));
        Object fullHdArn = Map.of("Fn::GetAtt", List.of(
            logicalIdNamed(resources, logicalIds(resources, "Custom::IvsEncoderConfiguration"), "bindings-full-hd"), "Arn"));
        Object l1EncoderArn = Map.of("Ref", oneLogicalId(resources, "AWS::IVS::EncoderConfiguration"));
        expectEqual("grant policy statements of the backend",
            granteeStatements(resources, granteeIds.get("backend")), List.of(
                Map.of("Action", "ivs:CreateParticipantToken", "Effect", "Allow", "Resource", stageArn),
                Map.of("Action", SECRET_READ_ACTIONS, "Effect", "Allow",
                    "Resource", Map.of("Ref", privateKeySecretId)),
                Map.of("Action", "ivs:StartComposition", "Effect", "Allow", "Resource", List.of(
                    stageArn, fullHdArn, l1EncoderArn, Map.of("Fn::GetAtt", List.of(storageId, "Arn")))),
                Map.of("Action", List.of("ivs:GetComposition", "ivs:StopComposition"), "Effect", "Allow",
                    "Resource", Map.of("Fn::Join", List.of("", List.of(
                        "arn:", Map.of("Ref", "AWS::Partition"), ":ivs:us-east-1:123456789012:composition/*")))),
                Map.of("Action", "ivs:ListCompositions", "Effect", "Allow",
                    "Resource", List.of(stageArn, fullHdArn, l1EncoderArn)),
                Map.of("Action", "lambda:InvokeFunction", "Effect", "Allow", "Resource",
                    Map.of("Fn::GetAtt", List.of(issuerFunctionId(resources), "Arn")))));

        expectEqual("AWS::Events::Rule EventPattern",
            properties(resources, oneRuleId(resources, pattern -> pattern.get("detail") != null
                && map(pattern.get("detail")).containsKey("stage_arn"))).get("EventPattern"), Map.of(
                "source", List.of("aws.ivs"),
                "detail-type", List.of("IVS Composition State Change"),
                "detail", Map.of("stage_arn", List.of(stageArn), "event_name", List.of("Session End"))));
        Map<String, Object> alarm = properties(resources, oneLogicalId(resources, "AWS::CloudWatch::Alarm"));
        expectEqual("AWS::CloudWatch::Alarm metric", List.of(
                alarm.get("Namespace"), alarm.get("MetricName"), alarm.get("Dimensions"),
                alarm.get("Statistic"), alarm.get("Period"), alarm.get("Threshold")),
            List.of("AWS/IVSRealTime", "DownloadPacketLoss",
                List.of(Map.of("Name", "Stage", "Value", Map.of("Fn::GetAtt", List.of(stageId, "StageId")))),
                "Average", 300, 5));
        expectEqual("grant policy statements of the encoder setup",
            granteeStatements(resources, granteeIds.get("encoderSetup")), List.of(
                Map.of("Action", SECRET_READ_ACTIONS, "Effect", "Allow",
                    "Resource", Map.of("Ref", streamKeySecretId))));

        // The handler bundle must travel inside the package: synth stages it as an asset.
        for (String logicalId : logicalIds(resources, "AWS::Lambda::Function")) {
            String s3Key = (String) map(properties(resources, logicalId).get("Code")).get("S3Key");
            File handler = new File(new File(outdir, "asset." + s3Key.replaceFirst("\\.zip$", "")), "index.js");
            if (!handler.isFile()) {
                fail("the asset of " + logicalId + " has no index.js in the cloud assembly: " + handler);
            }
        }
    }

    static String functionDescribed(Map<String, Object> resources, String words) {
        List<String> ids = logicalIds(resources, "AWS::Lambda::Function").stream()
            .filter(id -> String.valueOf(properties(resources, id).get("Description")).contains(words))
            .collect(Collectors.toList());
        if (ids.size() != 1) {
            fail("expected exactly one function that " + words + ", found " + ids);
        }
        return ids.get(0);
    }

    /**
     * Rooms on demand: an on-demand table with point-in-time recovery, a join function that signs
     * in KMS with the construct's settings, a janitor with the idle timeout, a browser route behind
     * a JWT authorizer with the issuer and audience given, and a backend that may invoke the join
     * function only.
     */
    static void checkRooms(Map<String, Object> resources, String backendId, String kmsKeyId, String publicKeyId) {
        String tableId = oneLogicalId(resources, "AWS::DynamoDB::Table");
        Map<String, Object> table = properties(resources, tableId);
        expectEqual("rooms table", List.of(table.get("BillingMode"), table.get("KeySchema"),
                table.get("PointInTimeRecoverySpecification"), table.get("SSESpecification")),
            List.of("PAY_PER_REQUEST", List.of(Map.of("AttributeName", "roomKey", "KeyType", "HASH")),
                Map.of("PointInTimeRecoveryEnabled", true), Map.of("SSEEnabled", true)));
        String joinId = functionDescribed(resources, "joins rooms on demand");
        Map<String, Object> join = map(map(properties(resources, joinId).get("Environment")).get("Variables"));
        expectEqual("join function environment", List.of(join.get("ROOMS_TABLE"), join.get("ROOMS_STAGE_NAME_PREFIX"),
                join.get("ROOMS_CAPABILITY_POLICY"), join.get("TOKEN_SIGNING"), join.get("KMS_KEY_ARN"), join.get("PUBLIC_KEY_ARN")),
            List.of(Map.of("Ref", tableId), "class-",
                "{\"capabilities\":[\"SUBSCRIBE\"],\"claim\":\"cognito:groups\",\"values\":[\"host\"],\"granted\":[\"PUBLISH\",\"SUBSCRIBE\"]}",
                "KMS", Map.of("Fn::GetAtt", List.of(kmsKeyId, "Arn")), Map.of("Fn::GetAtt", List.of(publicKeyId, "Arn"))));
        Map<String, Object> janitor = properties(resources, functionDescribed(resources, "deletes the stages of idle rooms"));
        expectEqual("janitor ROOMS_IDLE_SECONDS",
            map(map(janitor.get("Environment")).get("Variables")).get("ROOMS_IDLE_SECONDS"), "1800");
        Map<String, Object> authorizer = properties(resources, oneLogicalId(resources, "AWS::ApiGatewayV2::Authorizer"));
        expectEqual("join endpoint authorizer", List.of(authorizer.get("AuthorizerType"), authorizer.get("JwtConfiguration")),
            List.of("JWT", Map.of("Audience", List.of("bindings-client"), "Issuer", ROOMS_JWT_ISSUER)));
        Map<String, Object> route = properties(resources, oneLogicalId(resources, "AWS::ApiGatewayV2::Route"));
        expectEqual("join endpoint route", List.of(route.get("RouteKey"), route.get("AuthorizationType")),
            List.of("POST /join", "JWT"));
        expectEqual("grant policy statements of the rooms backend", granteeStatements(resources, backendId), List.of(
            Map.of("Action", "lambda:InvokeFunction", "Effect", "Allow", "Resource", Map.of("Fn::GetAtt", List.of(joinId, "Arn")))));
    }

    static String issuerFunctionId(Map<String, Object> resources) {
        return functionDescribed(resources, "mints participant tokens");
    }

    /**
     * The token issuer signs in KMS: its environment names the key, the IVS public key and the
     * stage with its endpoints, and its role may sign with that key and write its log group only.
     */
    static void checkIssuer(Map<String, Object> resources, String roleId, String stageId, String kmsKeyId,
            String publicKeyId) throws Exception {
        Map<String, Object> function = properties(resources, issuerFunctionId(resources));
        expectEqual("token issuer role", function.get("Role"), Map.of("Fn::GetAtt", List.of(roleId, "Arn")));
        Map<String, Object> environment = new HashMap<>(map(map(function.get("Environment")).get("Variables")));
        Object stages = environment.remove("STAGES");
        expectEqual("token issuer environment", environment, Map.of(
            "TOKEN_SIGNING", "KMS",
            "KMS_KEY_ARN", Map.of("Fn::GetAtt", List.of(kmsKeyId, "Arn")),
            "PUBLIC_KEY_ARN", Map.of("Fn::GetAtt", List.of(publicKeyId, "Arn"))));
        ObjectMapper json = new ObjectMapper();
        String stagesJson = json.writeValueAsString(stages);
        for (String attribute : List.of("Arn", "EventsEndpoint", "WhipEndpoint")) {
            if (!stagesJson.contains(json.writeValueAsString(Map.of("Fn::GetAtt", List.of(stageId, attribute))))) {
                fail("the token issuer's STAGES lacks the stage's " + attribute + ": " + stagesJson);
            }
        }
        // Its own log group: the one its logging configuration names (each handler has one too).
        String logGroupId = (String) map(map(function.get("LoggingConfig")).get("LogGroup")).get("Ref");
        expectEqual("token issuer log group type", map(resources.get(logGroupId)).get("Type"), "AWS::Logs::LogGroup");
        expectEqual("token issuer role statements", granteeStatements(resources, roleId), List.of(
            Map.of("Action", List.of("logs:CreateLogStream", "logs:PutLogEvents"), "Effect", "Allow",
                "Resource", Map.of("Fn::GetAtt", List.of(logGroupId, "Arn"))),
            Map.of("Action", "kms:Sign", "Effect", "Allow",
                "Resource", Map.of("Fn::GetAtt", List.of(kmsKeyId, "Arn")))));
        if (properties(resources, roleId).containsKey("ManagedPolicyArns")) {
            fail("the token issuer role has managed policies");
        }
    }

    /**
     * Stream keys and private keys are written into the secrets at deploy time: the template holds
     * the secrets' references and nothing of their values.
     */
    static void checkNoSecretInTemplate(Map<String, Object> template, List<String> secretIds) throws Exception {
        Map<String, Object> resources = map(template.get("Resources"));
        List<String> secrets = logicalIds(resources, "AWS::SecretsManager::Secret");
        expectEqual("AWS::SecretsManager::Secret resources", secrets,
            secretIds.stream().sorted().collect(Collectors.toList()));
        for (String logicalId : secrets) {
            if (properties(resources, logicalId).containsKey("SecretString")) {
                fail("the secret " + logicalId + " has a SecretString in the template");
            }
        }
        String text = new ObjectMapper().writeValueAsString(template);
        List<String> materials =
            List.of("PRIVATE KEY", "PublicKeyMaterial", "\"StreamKey\"", "streamKey", "privateKeyPem");
        for (String material : materials) {
            if (text.contains(material)) {
                fail("the template contains '" + material + "'");
            }
        }
        if (template.containsKey("Outputs")) {
            fail("the template has outputs: " + map(template.get("Outputs")).keySet());
        }
    }

    /** The library's synth-time checks raise in Java, with the library's message. */
    static void checkValidationErrorsCrossBinding() {
        expectValidationError("a stage name with a space",
            scope -> Stage.Builder.create(scope, "Stage").stageName("town hall").build(),
            "stageName must match");
        expectValidationError("an odd encoder width",
            scope -> EncoderConfiguration.Builder.create(scope, "Encoder")
                .video(EncoderVideo.custom(EncoderVideoProps.builder().width(1279).build()))
                .build(),
            "video.width must be even, got 1279");
    }

    static void expectValidationError(String what, Consumer<Stack> define, String message) {
        Stack stack = new Stack(new software.amazon.awscdk.App(), "InvalidStack");
        try {
            define.accept(stack);
        } catch (RuntimeException error) { // jsii raises the library's error as a JsiiError
            if (!String.valueOf(error.getMessage()).contains(message)) {
                fail(what + " raised an unexpected error: " + error);
            }
            return;
        }
        fail(what + " was accepted");
    }

    static List<String> logicalIds(Map<String, Object> resources, String type) {
        return resources.entrySet().stream()
            .filter(entry -> type.equals(map(entry.getValue()).get("Type")))
            .map(Map.Entry::getKey)
            .sorted()
            .collect(Collectors.toList());
    }

    /**
     * The stage composition: a rule on the stage's Participant Published events runs the composer,
     * whose environment names the stage and both destinations, and whose role may start
     * compositions of exactly these resources.
     */
    static void checkComposition(Map<String, Object> resources, String roleId, String stageId, String storageId) {
        Object stageArn = Map.of("Fn::GetAtt", List.of(stageId, "Arn"));
        Object channelArn = Map.of("Ref", oneLogicalId(resources, "AWS::IVS::Channel"));
        Object fullHdArn = Map.of("Fn::GetAtt", List.of(
            logicalIdNamed(resources, logicalIds(resources, "Custom::IvsEncoderConfiguration"), "bindings-full-hd"), "Arn"));
        Object l1EncoderArn = Map.of("Ref", oneLogicalId(resources, "AWS::IVS::EncoderConfiguration"));
        Object storageArn = Map.of("Fn::GetAtt", List.of(storageId, "Arn"));
        List<String> composers = logicalIds(resources, "AWS::Lambda::Function").stream()
            .filter(id -> String.valueOf(properties(resources, id).get("Description")).contains("starts one composition per stage session"))
            .collect(Collectors.toList());
        if (composers.size() != 1) {
            fail("expected exactly one composer function, found " + composers);
        }
        Map<String, Object> environment = map(map(properties(resources, composers.get(0)).get("Environment")).get("Variables"));
        expectEqual("composer STAGE_ARN", environment.get("STAGE_ARN"), stageArn);
        String request = String.valueOf(environment.get("COMPOSITION_REQUEST"));
        for (Object part : List.of(channelArn, storageArn, fullHdArn, l1EncoderArn, "targetSegmentDurationSeconds\":4", "TOP_RIGHT")) {
            if (!request.contains(String.valueOf(part))) {
                fail("the composer's COMPOSITION_REQUEST lacks " + part + ": " + request);
            }
        }
        oneRuleId(resources, pattern -> pattern.equals(Map.of(
            "source", List.of("aws.ivs"),
            "detail-type", List.of("IVS Stage Update"),
            "resources", List.of(stageArn),
            "detail", Map.of("event_name", List.of("Participant Published")))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> statements = (List<Map<String, Object>>) granteeStatements(resources, roleId);
        expectEqual("composer StartComposition statement",
            statements.stream().filter(s -> "ivs:StartComposition".equals(s.get("Action"))).collect(Collectors.toList()),
            List.of(Map.of("Action", "ivs:StartComposition", "Effect", "Allow",
                "Resource", List.of(stageArn, fullHdArn, l1EncoderArn, storageArn, channelArn))));
    }

    /** The one AWS::Events::Rule whose EventPattern `matches`. */
    static String oneRuleId(Map<String, Object> resources, Predicate<Map<String, Object>> matches) {
        List<String> ids = logicalIds(resources, "AWS::Events::Rule").stream()
            // Scheduled rules have no event pattern.
            .filter(id -> properties(resources, id).get("EventPattern") != null)
            .filter(id -> matches.test(map(properties(resources, id).get("EventPattern"))))
            .collect(Collectors.toList());
        if (ids.size() != 1) {
            fail("expected exactly one such AWS::Events::Rule, found " + ids);
        }
        return ids.get(0);
    }

    static String oneLogicalId(Map<String, Object> resources, String type) {
        List<String> ids = logicalIds(resources, type);
        if (ids.size() != 1) {
            fail("expected exactly one " + type + ", found " + ids.size() + ": " + ids);
        }
        return ids.get(0);
    }

    /** The one of ids whose Name property is name. */
    static String logicalIdNamed(Map<String, Object> resources, List<String> ids, String name) {
        List<String> named = ids.stream()
            .filter(id -> name.equals(properties(resources, id).get("Name")))
            .collect(Collectors.toList());
        if (named.size() != 1) {
            fail("expected exactly one resource named " + name + " among " + ids + ", found " + named.size());
        }
        return named.get(0);
    }

    /**
     * The properties of a custom resource without its provider wiring (ServiceToken, which must be
     * a function of the template, and ServiceTimeout), which test/constructs pins.
     */
    static Map<String, Object> ivsProperties(Map<String, Object> resources, String logicalId) {
        Map<String, Object> properties = new HashMap<>(properties(resources, logicalId));
        Object token = properties.remove("ServiceToken");
        properties.remove("ServiceTimeout");
        boolean ofAFunction = logicalIds(resources, "AWS::Lambda::Function").stream()
            .anyMatch(functionId -> Map.of("Fn::GetAtt", List.of(functionId, "Arn")).equals(token));
        if (!ofAFunction) {
            fail("the ServiceToken of " + logicalId + " is not the ARN of a function of the template: " + token);
        }
        return properties;
    }

    /** The logical ID of the AWS::SecretsManager::Secret that value is a Ref to. */
    static String secretId(Map<String, Object> resources, String what, Object value) {
        Object logicalId = value instanceof Map && map(value).size() == 1 ? map(value).get("Ref") : null;
        Object resource = logicalId == null ? null : resources.get(logicalId);
        if (resource == null || !"AWS::SecretsManager::Secret".equals(map(resource).get("Type"))) {
            fail(what + " must be a Ref to a secret of the template, got " + value);
        }
        return (String) logicalId;
    }

    /** The statements of the one AWS::IAM::Policy attached to roleId (where grants land). */
    static Object granteeStatements(Map<String, Object> resources, String roleId) {
        List<Map<String, Object>> policies = logicalIds(resources, "AWS::IAM::Policy").stream()
            .map(id -> properties(resources, id))
            .filter(policy -> List.of(Map.of("Ref", roleId)).equals(policy.get("Roles")))
            .collect(Collectors.toList());
        if (policies.size() != 1) {
            fail("expected exactly one AWS::IAM::Policy on role " + roleId + ", found " + policies.size());
        }
        return map(policies.get(0).get("PolicyDocument")).get("Statement");
    }

    static Map<String, Object> properties(Map<String, Object> resources, String logicalId) {
        return map(map(resources.get(logicalId)).get("Properties"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    static void expectEqual(String what, Object actual, Object expected) {
        if (!expected.equals(actual)) {
            fail(what + ":\n  expected " + expected + "\n  actual   " + actual);
        }
    }

    static void fail(String message) {
        System.err.println("FAIL (java): " + message);
        System.exit(1);
    }

    static final String DASHBOARD_STACK_NAME = "BindingsDashboardStack";
    static final String IMPORTED_STAGE_ARN = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGh1234";

    /**
     * A dashboard for an imported stage and an L1 stage, a token issuer and a function with a
     * dead-letter queue, with its alarms paging a topic.
     */
    static void defineDashboardStack(Stack stack) {
        var imported = Stage.fromStageArn(stack, "Imported", IMPORTED_STAGE_ARN);
        var l1Stage = CfnStage.Builder.create(stack, "L1Stage").name("bindings-l1-stage").build();
        var issuer = ParticipantTokenIssuer.Builder.create(stack, "Tokens").stages(List.of(imported)).build();
        var onCall = new Topic(stack, "OnCall");
        var dashboard = IvsRealtimeDashboard.Builder.create(stack, "Dashboard")
            .dashboardName("bindings-dashboard")
            .stages(List.of(imported, l1Stage))
            .tokenIssuers(List.of(issuer))
            .alarmActions(List.of(new SnsAction(onCall)))
            .build();
        dashboard.addFunction("Composer", issuer.getIssuerFunction(), WatchedFunctionOptions.builder()
            .deadLetterQueue(new Queue(stack, "Dlq"))
            .errorsAlarmThreshold(1)
            .build());
    }

    /** A template value as text, each CloudFormation token as <token>. */
    static String flatten(Object value) {
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof Map && map(value).containsKey("Fn::Join")) {
            List<?> join = (List<?>) map(value).get("Fn::Join");
            return ((List<?>) join.get(1)).stream().map(App::flatten).collect(Collectors.joining((String) join.get(0)));
        }
        return "<token>";
    }

    static void checkDashboard(Map<String, Object> template) throws Exception {
        Map<String, Object> resources = map(template.get("Resources"));
        Map<String, Object> dashboard = properties(resources, oneLogicalId(resources, "AWS::CloudWatch::Dashboard"));
        expectEqual("AWS::CloudWatch::Dashboard name", dashboard.get("DashboardName"), "bindings-dashboard");
        Map<String, Object> body = map(new ObjectMapper().readValue(flatten(dashboard.get("DashboardBody")), Map.class));
        List<List<?>> metrics = new ArrayList<>();
        for (Object widget : (List<?>) body.get("widgets")) {
            Object listed = map(map(widget).get("properties")).get("metrics");
            if (listed != null) {
                for (Object metric : (List<?>) listed) {
                    List<?> entry = (List<?>) metric;
                    if (entry.size() > 4) {
                        metrics.add(entry.subList(0, 4));
                    }
                }
            }
        }
        for (String name : List.of("Publishers", "Subscribers", "PublishBitrate", "SubscribeBitrate", "DownloadPacketLoss", "DroppedFrames")) {
            if (!metrics.contains(List.of("AWS/IVSRealTime", name, "Stage", "AbCdEfGh1234"))) {
                fail("the dashboard does not graph " + name + " of the imported stage: " + metrics);
            }
        }
        List<Object> filters = logicalIds(resources, "AWS::Logs::MetricFilter").stream()
            .map(id -> map(((List<?>) properties(resources, id).get("MetricTransformations")).get(0)).get("MetricName"))
            .sorted(Comparator.comparing(Object::toString))
            .collect(Collectors.toList());
        expectEqual("AWS::Logs::MetricFilter metrics", filters,
            List.of("CompositionDestinationFailures", "CompositionSessionFailures", "PublishErrors", "RecordingFailures"));
        expectEqual("AWS::Events::Rule count", logicalIds(resources, "AWS::Events::Rule").size(), 2);
        Object topic = Map.of("Ref", oneLogicalId(resources, "AWS::SNS::Topic"));
        List<String> alarms = logicalIds(resources, "AWS::CloudWatch::Alarm");
        // Two per stage, recording and composition failures, and per function a throttle alarm,
        // the issuer's and the composer's errors, the composer's dead-letter queue.
        expectEqual("AWS::CloudWatch::Alarm count", alarms.size(), 11);
        for (String alarm : alarms) {
            expectEqual("actions of " + alarm, properties(resources, alarm).get("AlarmActions"), List.of(topic));
        }
    }

    public static void main(String[] args) throws Exception {
        String outdir = Files.createTempDirectory("cdk-ivs-realtime-java-").toString();
        software.amazon.awscdk.App app = software.amazon.awscdk.App.Builder.create().outdir(outdir).build();
        Stack stack = Stack.Builder.create(app, STACK_NAME)
            .env(Environment.builder().account("123456789012").region("us-east-1").build())
            .build();
        Map<String, Role> grantees = defineStack(stack);
        Map<String, String> granteeIds = new HashMap<>();
        grantees.forEach((name, role) ->
            granteeIds.put(name, stack.getLogicalId((CfnElement) role.getNode().getDefaultChild())));
        CloudAssembly assembly = app.synth();

        Map<String, Object> template =
            map(new ObjectMapper().readValue(new File(assembly.getDirectory(), stack.getTemplateFile()), Map.class));
        check(template, assembly.getDirectory(), granteeIds);

        software.amazon.awscdk.App dashboardApp = software.amazon.awscdk.App.Builder.create()
            .outdir(Files.createTempDirectory("cdk-ivs-realtime-java-dashboard-").toString())
            .build();
        Stack dashboardStack = Stack.Builder.create(dashboardApp, DASHBOARD_STACK_NAME)
            .env(Environment.builder().account("123456789012").region("us-east-1").build())
            .build();
        defineDashboardStack(dashboardStack);
        CloudAssembly dashboardAssembly = dashboardApp.synth();
        checkDashboard(map(new ObjectMapper().readValue(
            new File(dashboardAssembly.getDirectory(), dashboardStack.getTemplateFile()), Map.class)));
        checkValidationErrorsCrossBinding();
        System.out.println("java binding: template checks passed");
        System.exit(0);
    }
}
