"""Defines a stack with every construct of cdk-ivs-realtime through its Python binding,
synthesizes it and checks the template. Exits non-zero with a message on the first mismatch.

Run by test/bindings/run.sh, in a venv holding the wheel from dist/python.
"""
import json
import os
import sys
import tempfile

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ivs as cfn_ivs
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs

import cdk_ivs_realtime as ivs

STACK_NAME = "BindingsStack"
STACK_TAGS = {"cost-center": "42"}
SECRET_READ_ACTIONS = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
ROOMS_JWT_ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example"


def define_stack(stack: cdk.Stack) -> dict:
    """Defines every construct of the library (a new construct goes here); returns the grantee
    roles by name."""
    bucket = s3.Bucket(stack, "RecordingsBucket", encryption=s3.BucketEncryption.S3_MANAGED)
    recordings = ivs.StorageConfiguration(
        stack, "Recordings", bucket=bucket, storage_configuration_name="bindings-recordings"
    )
    stage = ivs.Stage(
        stack,
        "Stage",
        stage_name="bindings-stage",
        auto_participant_recording=ivs.AutoParticipantRecordingOptions(
            storage_configuration=recordings,
            media_types=[ivs.RecordingMediaType.AUDIO_ONLY],
            thumbnails=ivs.ParticipantThumbnailOptions(
                recording_mode=ivs.ThumbnailRecordingMode.INTERVAL,
                storage=[ivs.ThumbnailStorage.SEQUENTIAL, ivs.ThumbnailStorage.LATEST],
                target_interval=cdk.Duration.minutes(2),
            ),
            recording_reconnect_window=cdk.Duration.seconds(60),
            hls_target_segment_duration=cdk.Duration.seconds(10),
            record_participant_replicas=False,
        ),
        tags={"team": "video"},
    )
    ingest = ivs.IngestConfiguration(
        stack,
        "Encoder",
        ingest_protocol=ivs.IngestProtocol.RTMPS,
        stage=stage,
        ingest_configuration_name="bindings-encoder",
        user_id="studio-a",
        attributes={"role": "host"},
    )
    full_hd = ivs.EncoderConfiguration(
        stack, "FullHd", encoder_configuration_name="bindings-full-hd", video=ivs.EncoderVideo.FULL_HD_1080
    )
    ivs.EncoderConfiguration(
        stack,
        "Square",
        encoder_configuration_name="bindings-square",
        video=ivs.EncoderVideo.custom(width=1080, height=1080, framerate=29.97, bitrate=4_500_000),
    )
    token_key = ivs.PublicKey(
        stack, "TokenKey", public_key_name="bindings-token-key", public_key_material=ivs.PublicKeyMaterial.generate()
    )
    # A key whose private half never leaves KMS, and the issuer that signs tokens with it.
    kms_key = ivs.PublicKey(
        stack, "KmsKey", public_key_name="bindings-kms-key", public_key_material=ivs.PublicKeyMaterial.generate_in_kms()
    )
    issuer = ivs.ParticipantTokenIssuer(stack, "Tokens", stages=[stage], signing_key=kms_key)
    for key, value in STACK_TAGS.items():
        cdk.Tags.of(stack).add(key, value)

    # The backend mints participant tokens, through the API or signed with the private key; the
    # encoder setup hands the stream key to the encoder.
    backend = iam.Role(stack, "Backend", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    stage.grant_create_participant_token(backend)
    token_key.grant_read_private_key(backend)
    encoder_setup = iam.Role(stack, "EncoderSetup", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    ingest.grant_read_stream_key(encoder_setup)

    # The run-time side: the backend starts compositions, with an L1 encoder configuration
    # beside one of ours (a reference interface takes either); a rule reacts to compositions
    # ending; an alarm watches packet loss.
    l1_encoder = cfn_ivs.CfnEncoderConfiguration(stack, "L1Encoder", name="bindings-l1-encoder")
    stage.grants.start_composition(
        backend, encoder_configurations=[full_hd, l1_encoder], storage_configuration=recordings
    )
    stage.on_composition_state_change("CompositionEnded", event_names=[ivs.CompositionEventName.SESSION_END])
    stage.metric_download_packet_loss().create_alarm(stack, "PacketLoss", threshold=5, evaluation_periods=3)
    issuer.grant_invoke(backend)

    # The stage composes itself: one video per session into S3, and a broadcast to an L1
    # low-latency channel with the L1 encoder configuration.
    channel = cfn_ivs.CfnChannel(stack, "Channel", name="bindings-channel", latency_mode="LOW")
    composition = ivs.StageComposition(
        stack,
        "Composition",
        stage=stage,
        layout=ivs.CompositionLayout.pip(pip_participant_attribute="host", pip_position=ivs.PipPosition.TOP_RIGHT),
        destinations=[
            ivs.CompositionDestination.s3(
                storage_configuration=recordings,
                encoder_configuration=full_hd,
                hls_target_segment_duration=cdk.Duration.seconds(4),
            ),
            ivs.CompositionDestination.channel(channel=channel, encoder_configuration=l1_encoder),
        ],
    )

    # Rooms on demand: a stage made as a room's first user joins, tokens signed with the KMS key,
    # browsers joining through the app's identity provider and backends directly.
    rooms = ivs.StageRooms(
        stack,
        "Rooms",
        signing_key=kms_key,
        stage_name_prefix="class-",
        idle_timeout=cdk.Duration.minutes(30),
        browser_endpoint=ivs.RoomsBrowserEndpointOptions(
            jwt_issuer=ROOMS_JWT_ISSUER,
            jwt_audience=["bindings-client"],
            capability_policy=ivs.RoomCapabilityPolicy.by_claim(
                claim="cognito:groups",
                values=["host"],
                granted=[ivs.ParticipantCapability.PUBLISH, ivs.ParticipantCapability.SUBSCRIBE],
            ),
        ),
    )
    rooms_backend = iam.Role(stack, "RoomsBackend", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    rooms.grant_join(rooms_backend)
    return {
        "backend": backend,
        "encoderSetup": encoder_setup,
        "roomsBackend": rooms_backend,
        "issuer": issuer.node.find_child("ServiceRole"),
        "composer": composition.node.find_child("ServiceRole"),
    }


def check(template: dict, outdir: str, grantee_ids: dict) -> None:
    resources = template["Resources"]

    bucket_id = one_logical_id(resources, "AWS::S3::Bucket")
    expect_equal(
        "AWS::S3::Bucket BucketEncryption",
        resources[bucket_id]["Properties"].get("BucketEncryption"),
        {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
    )

    storage_id = one_logical_id(resources, "Custom::IvsStorageConfiguration")
    expect_equal(
        "Custom::IvsStorageConfiguration properties",
        ivs_properties(resources, storage_id),
        {"Name": "bindings-recordings", "S3": {"BucketName": {"Ref": bucket_id}}, "Tags": STACK_TAGS},
    )

    stage_id = one_logical_id(resources, "Custom::IvsStage")
    expect_equal(
        "Custom::IvsStage properties",
        ivs_properties(resources, stage_id),
        {
            "Name": "bindings-stage",
            "AutoParticipantRecordingConfiguration": {
                "StorageConfigurationArn": {"Fn::GetAtt": [storage_id, "Arn"]},
                "MediaTypes": ["AUDIO_ONLY"],
                "ThumbnailConfiguration": {
                    "RecordingMode": "INTERVAL",
                    "Storage": ["SEQUENTIAL", "LATEST"],
                    "TargetIntervalSeconds": "120",
                },
                "RecordingReconnectWindowSeconds": "60",
                "HlsTargetSegmentDurationSeconds": "10",
                "RecordParticipantReplicas": "false",
            },
            "Tags": {**STACK_TAGS, "team": "video"},
        },
    )

    ingest_id = one_logical_id(resources, "Custom::IvsIngestConfiguration")
    ingest = ivs_properties(resources, ingest_id)
    stream_key_secret_id = secret_id(resources, "StreamKeySecretArn", ingest.get("StreamKeySecretArn"))
    expect_equal(
        "Custom::IvsIngestConfiguration properties",
        ingest,
        {
            "Name": "bindings-encoder",
            "IngestProtocol": "RTMPS",
            "StageArn": {"Fn::GetAtt": [stage_id, "Arn"]},
            "UserId": "studio-a",
            "Attributes": {"role": "host"},
            "InsecureIngest": "false",
            "RedundantIngest": "false",
            "StreamKeySecretArn": {"Ref": stream_key_secret_id},
            "Tags": STACK_TAGS,
        },
    )

    encoder_ids = logical_ids(resources, "Custom::IvsEncoderConfiguration")
    expect_equal(
        "Custom::IvsEncoderConfiguration properties",
        sorted((ivs_properties(resources, logical_id) for logical_id in encoder_ids), key=lambda p: p["Name"]),
        [
            {
                "Name": "bindings-full-hd",
                "Video": {"Width": "1920", "Height": "1080", "Framerate": "30", "Bitrate": "6000000"},
                "Tags": STACK_TAGS,
            },
            {
                "Name": "bindings-square",
                "Video": {"Width": "1080", "Height": "1080", "Framerate": "29.97", "Bitrate": "4500000"},
                "Tags": STACK_TAGS,
            },
        ],
    )

    key_ids = {ivs_properties(resources, i)["Name"]: i for i in logical_ids(resources, "Custom::IvsPublicKey")}
    expect_equal("Custom::IvsPublicKey names", sorted(key_ids), ["bindings-kms-key", "bindings-token-key"])
    key = ivs_properties(resources, key_ids["bindings-token-key"])
    private_key_secret_id = secret_id(resources, "PrivateKeySecretArn", key.get("PrivateKeySecretArn"))
    # No PublicKeyMaterial: the key pair is generated at deploy time.
    expect_equal(
        "Custom::IvsPublicKey properties",
        key,
        {"Name": "bindings-token-key", "PrivateKeySecretArn": {"Ref": private_key_secret_id}, "Tags": STACK_TAGS},
    )

    # The KMS-backed key: no material and no secret, the ARN of a P-384 signing key of the stack.
    kms_key_id = one_logical_id(resources, "AWS::KMS::Key")
    expect_equal(
        "AWS::KMS::Key spec and usage",
        {k: resources[kms_key_id]["Properties"].get(k) for k in ["KeySpec", "KeyUsage"]},
        {"KeySpec": "ECC_NIST_P384", "KeyUsage": "SIGN_VERIFY"},
    )
    expect_equal(
        "Custom::IvsPublicKey properties of the KMS-backed key",
        ivs_properties(resources, key_ids["bindings-kms-key"]),
        {"Name": "bindings-kms-key", "KmsKeyArn": {"Fn::GetAtt": [kms_key_id, "Arn"]}, "Tags": STACK_TAGS},
    )
    check_issuer(resources, grantee_ids["issuer"], stage_id, kms_key_id, key_ids["bindings-kms-key"])
    check_rooms(resources, grantee_ids["roomsBackend"], kms_key_id, key_ids["bindings-kms-key"])
    check_composition(resources, grantee_ids["composer"], stage_id, storage_id, encoder_ids)

    check_no_secret_in_template(template, [stream_key_secret_id, private_key_secret_id])

    stage_arn = {"Fn::GetAtt": [stage_id, "Arn"]}
    full_hd_arn = {"Fn::GetAtt": [logical_id_named(resources, encoder_ids, "bindings-full-hd"), "Arn"]}
    l1_encoder_arn = {"Ref": one_logical_id(resources, "AWS::IVS::EncoderConfiguration")}
    expect_equal(
        "grant policy statements of the backend",
        grantee_statements(resources, grantee_ids["backend"]),
        [
            {"Action": "ivs:CreateParticipantToken", "Effect": "Allow", "Resource": stage_arn},
            {"Action": SECRET_READ_ACTIONS, "Effect": "Allow", "Resource": {"Ref": private_key_secret_id}},
            {
                "Action": "ivs:StartComposition",
                "Effect": "Allow",
                "Resource": [stage_arn, full_hd_arn, l1_encoder_arn, {"Fn::GetAtt": [storage_id, "Arn"]}],
            },
            {
                "Action": ["ivs:GetComposition", "ivs:StopComposition"],
                "Effect": "Allow",
                "Resource": {
                    "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":ivs:us-east-1:123456789012:composition/*"]]
                },
            },
            {"Action": "ivs:ListCompositions", "Effect": "Allow", "Resource": [stage_arn, full_hd_arn, l1_encoder_arn]},
            {
                "Action": "lambda:InvokeFunction",
                "Effect": "Allow",
                "Resource": {"Fn::GetAtt": [issuer_function_id(resources), "Arn"]},
            },
        ],
    )

    rule_id = one_rule_id(resources, lambda pattern: "stage_arn" in pattern.get("detail", {}))
    expect_equal(
        "AWS::Events::Rule EventPattern",
        resources[rule_id]["Properties"]["EventPattern"],
        {
            "source": ["aws.ivs"],
            "detail-type": ["IVS Composition State Change"],
            "detail": {"stage_arn": [stage_arn], "event_name": ["Session End"]},
        },
    )
    alarm = resources[one_logical_id(resources, "AWS::CloudWatch::Alarm")]["Properties"]
    expect_equal(
        "AWS::CloudWatch::Alarm metric",
        {key: alarm.get(key) for key in ["Namespace", "MetricName", "Dimensions", "Statistic", "Period", "Threshold"]},
        {
            "Namespace": "AWS/IVSRealTime",
            "MetricName": "DownloadPacketLoss",
            "Dimensions": [{"Name": "Stage", "Value": {"Fn::GetAtt": [stage_id, "StageId"]}}],
            "Statistic": "Average",
            "Period": 300,
            "Threshold": 5,
        },
    )
    expect_equal(
        "grant policy statements of the encoder setup",
        grantee_statements(resources, grantee_ids["encoderSetup"]),
        [{"Action": SECRET_READ_ACTIONS, "Effect": "Allow", "Resource": {"Ref": stream_key_secret_id}}],
    )

    # The handler bundle must travel inside the package: synth stages it as an asset.
    for logical_id in logical_ids(resources, "AWS::Lambda::Function"):
        s3_key = resources[logical_id]["Properties"]["Code"]["S3Key"]
        handler_file = os.path.join(outdir, "asset." + s3_key.removesuffix(".zip"), "index.js")
        if not os.path.isfile(handler_file):
            fail(f"the asset of {logical_id} has no index.js in the cloud assembly: {handler_file}")


def issuer_function_id(resources: dict) -> str:
    return function_described(resources, "mints participant tokens")


def check_issuer(resources: dict, role_id: str, stage_id: str, kms_key_id: str, public_key_id: str) -> None:
    """The token issuer signs in KMS: its environment names the key, the IVS public key and the
    stage with its endpoints, and its role may sign with that key and write its log group only."""
    function = resources[issuer_function_id(resources)]["Properties"]
    expect_equal("token issuer role", function["Role"], {"Fn::GetAtt": [role_id, "Arn"]})
    environment = function["Environment"]["Variables"]
    expect_equal(
        "token issuer environment",
        {k: v for k, v in environment.items() if k != "STAGES"},
        {
            "TOKEN_SIGNING": "KMS",
            "KMS_KEY_ARN": {"Fn::GetAtt": [kms_key_id, "Arn"]},
            "PUBLIC_KEY_ARN": {"Fn::GetAtt": [public_key_id, "Arn"]},
        },
    )
    stages = json.dumps(environment["STAGES"])
    for attribute in ["Arn", "EventsEndpoint", "WhipEndpoint"]:
        if json.dumps({"Fn::GetAtt": [stage_id, attribute]}) not in stages:
            fail(f"the token issuer's STAGES lacks the stage's {attribute}: {stages}")
    # Its own log group: the one its logging configuration names (each handler has one too).
    log_group_id = function["LoggingConfig"]["LogGroup"]["Ref"]
    expect_equal("token issuer log group type", resources[log_group_id]["Type"], "AWS::Logs::LogGroup")
    expect_equal(
        "token issuer role statements",
        grantee_statements(resources, role_id),
        [
            {
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Effect": "Allow",
                "Resource": {"Fn::GetAtt": [log_group_id, "Arn"]},
            },
            {"Action": "kms:Sign", "Effect": "Allow", "Resource": {"Fn::GetAtt": [kms_key_id, "Arn"]}},
        ],
    )
    if "ManagedPolicyArns" in resources[role_id]["Properties"]:
        fail("the token issuer role has managed policies")


def function_described(resources: dict, words: str) -> str:
    """The one function whose description says `words`."""
    ids = [
        logical_id
        for logical_id in logical_ids(resources, "AWS::Lambda::Function")
        if words in resources[logical_id]["Properties"].get("Description", "")
    ]
    if len(ids) != 1:
        fail(f"expected exactly one function that {words}, found {ids}")
    return ids[0]


def check_rooms(resources: dict, backend_id: str, kms_key_id: str, public_key_id: str) -> None:
    """Rooms on demand: an on-demand table with point-in-time recovery, a join function that signs
    in KMS with the construct's settings, a janitor with the idle timeout, a browser route behind
    a JWT authorizer with the issuer and audience given, and a backend that may invoke the join
    function only."""
    table_id = one_logical_id(resources, "AWS::DynamoDB::Table")
    table = resources[table_id]["Properties"]
    expect_equal(
        "rooms table",
        {k: table.get(k) for k in ["BillingMode", "KeySchema", "PointInTimeRecoverySpecification", "SSESpecification"]},
        {
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "roomKey", "KeyType": "HASH"}],
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": {"SSEEnabled": True},
        },
    )
    join_id = function_described(resources, "joins rooms on demand")
    join = resources[join_id]["Properties"]["Environment"]["Variables"]
    expect_equal(
        "join function environment",
        {k: join.get(k) for k in ["ROOMS_TABLE", "ROOMS_STAGE_NAME_PREFIX", "ROOMS_CAPABILITY_POLICY", "TOKEN_SIGNING", "KMS_KEY_ARN", "PUBLIC_KEY_ARN"]},
        {
            "ROOMS_TABLE": {"Ref": table_id},
            "ROOMS_STAGE_NAME_PREFIX": "class-",
            "ROOMS_CAPABILITY_POLICY": json.dumps(
                {"capabilities": ["SUBSCRIBE"], "claim": "cognito:groups", "values": ["host"], "granted": ["PUBLISH", "SUBSCRIBE"]},
                separators=(",", ":"),
            ),
            "TOKEN_SIGNING": "KMS",
            "KMS_KEY_ARN": {"Fn::GetAtt": [kms_key_id, "Arn"]},
            "PUBLIC_KEY_ARN": {"Fn::GetAtt": [public_key_id, "Arn"]},
        },
    )
    janitor = resources[function_described(resources, "deletes the stages of idle rooms")]["Properties"]
    expect_equal("janitor ROOMS_IDLE_SECONDS", janitor["Environment"]["Variables"]["ROOMS_IDLE_SECONDS"], "1800")
    authorizer = resources[one_logical_id(resources, "AWS::ApiGatewayV2::Authorizer")]["Properties"]
    expect_equal(
        "join endpoint authorizer",
        {k: authorizer.get(k) for k in ["AuthorizerType", "JwtConfiguration"]},
        {"AuthorizerType": "JWT", "JwtConfiguration": {"Audience": ["bindings-client"], "Issuer": ROOMS_JWT_ISSUER}},
    )
    route = resources[one_logical_id(resources, "AWS::ApiGatewayV2::Route")]["Properties"]
    expect_equal("join endpoint route", {k: route.get(k) for k in ["RouteKey", "AuthorizationType"]},
                 {"RouteKey": "POST /join", "AuthorizationType": "JWT"})
    expect_equal(
        "grant policy statements of the rooms backend",
        grantee_statements(resources, backend_id),
        [{"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": {"Fn::GetAtt": [join_id, "Arn"]}}],
    )


def check_composition(resources: dict, role_id: str, stage_id: str, storage_id: str, encoder_ids: list) -> None:
    """The stage composition: a rule on the stage's Participant Published events runs the composer,
    whose environment holds the stage and both destinations, and whose role may start compositions
    of exactly these resources."""
    stage_arn = {"Fn::GetAtt": [stage_id, "Arn"]}
    channel_arn = {"Ref": one_logical_id(resources, "AWS::IVS::Channel")}
    full_hd_arn = {"Fn::GetAtt": [logical_id_named(resources, encoder_ids, "bindings-full-hd"), "Arn"]}
    l1_encoder_arn = {"Ref": one_logical_id(resources, "AWS::IVS::EncoderConfiguration")}
    storage_arn = {"Fn::GetAtt": [storage_id, "Arn"]}
    composers = [
        logical_id
        for logical_id in logical_ids(resources, "AWS::Lambda::Function")
        if "starts one composition per stage session" in resources[logical_id]["Properties"].get("Description", "")
    ]
    if len(composers) != 1:
        fail(f"expected exactly one composer function, found {composers}")
    environment = resources[composers[0]]["Properties"]["Environment"]["Variables"]
    expect_equal("composer STAGE_ARN", environment["STAGE_ARN"], stage_arn)
    request = json.dumps(environment["COMPOSITION_REQUEST"])
    for part in [json.dumps(channel_arn), json.dumps(storage_arn), json.dumps(full_hd_arn), json.dumps(l1_encoder_arn),
                 'targetSegmentDurationSeconds\\":4', 'pipPosition\\":\\"TOP_RIGHT']:
        if part not in request:
            fail(f"the composer's COMPOSITION_REQUEST lacks {part}: {request}")
    one_rule_id(resources, lambda pattern: pattern == {
        "source": ["aws.ivs"],
        "detail-type": ["IVS Stage Update"],
        "resources": [stage_arn],
        "detail": {"event_name": ["Participant Published"]},
    })
    starts = [s for s in grantee_statements(resources, role_id) if s["Action"] == "ivs:StartComposition"]
    expect_equal(
        "composer StartComposition statement",
        starts,
        [{
            "Action": "ivs:StartComposition",
            "Effect": "Allow",
            "Resource": [stage_arn, full_hd_arn, l1_encoder_arn, storage_arn, channel_arn],
        }],
    )


def one_rule_id(resources: dict, matches) -> str:
    """The one AWS::Events::Rule whose EventPattern matches says it is the one (scheduled rules have none)."""
    ids = [
        i
        for i in logical_ids(resources, "AWS::Events::Rule")
        if "EventPattern" in resources[i]["Properties"] and matches(resources[i]["Properties"]["EventPattern"])
    ]
    if len(ids) != 1:
        fail(f"expected exactly one such AWS::Events::Rule, found {ids}")
    return ids[0]


def check_no_secret_in_template(template: dict, secret_ids: list) -> None:
    """Stream keys and private keys are written into the secrets at deploy time: the template
    holds the secrets' references and nothing of their values."""
    secrets = logical_ids(template["Resources"], "AWS::SecretsManager::Secret")
    expect_equal("AWS::SecretsManager::Secret resources", secrets, sorted(secret_ids))
    for logical_id in secrets:
        if "SecretString" in template["Resources"][logical_id]["Properties"]:
            fail(f"the secret {logical_id} has a SecretString in the template")
    text = json.dumps(template)
    for material in ["PRIVATE KEY", "PublicKeyMaterial", '"StreamKey"', "streamKey", "privateKeyPem"]:
        if material in text:
            fail(f"the template contains {material!r}")
    if "Outputs" in template:
        fail(f"the template has outputs: {sorted(template['Outputs'])}")


def check_validation_errors_cross_binding() -> None:
    """The library's synth-time checks raise in Python, with the library's message."""
    expect_validation_error(
        "a stage name with a space",
        lambda scope: ivs.Stage(scope, "Stage", stage_name="town hall"),
        "stageName must match",
    )
    expect_validation_error(
        "an odd encoder width",
        lambda scope: ivs.EncoderConfiguration(scope, "Encoder", video=ivs.EncoderVideo.custom(width=1279)),
        "video.width must be even, got 1279",
    )


def expect_validation_error(what: str, define, message: str) -> None:
    stack = cdk.Stack(cdk.App(), "InvalidStack")
    try:
        define(stack)
    except Exception as error:  # jsii raises the library's error as a Python exception
        if message not in str(error):
            fail(f"{what} raised an unexpected error: {error}")
        return
    fail(f"{what} was accepted")


def logical_ids(resources: dict, resource_type: str) -> list:
    return sorted(logical_id for logical_id, resource in resources.items() if resource["Type"] == resource_type)


def one_logical_id(resources: dict, resource_type: str) -> str:
    ids = logical_ids(resources, resource_type)
    if len(ids) != 1:
        fail(f"expected exactly one {resource_type}, found {len(ids)}: {ids}")
    return ids[0]


def logical_id_named(resources: dict, ids: list, name: str) -> str:
    """The one of ids whose Name property is name."""
    named = [logical_id for logical_id in ids if resources[logical_id]["Properties"].get("Name") == name]
    if len(named) != 1:
        fail(f"expected exactly one resource named {name} among {ids}, found {len(named)}")
    return named[0]


def ivs_properties(resources: dict, logical_id: str) -> dict:
    """The properties of a custom resource without its provider wiring (ServiceToken, which must
    be a function of the template, and ServiceTimeout), which test/constructs pins."""
    properties = dict(resources[logical_id]["Properties"])
    token = properties.pop("ServiceToken", None)
    properties.pop("ServiceTimeout", None)
    functions = logical_ids(resources, "AWS::Lambda::Function")
    if not any(token == {"Fn::GetAtt": [function_id, "Arn"]} for function_id in functions):
        fail(f"the ServiceToken of {logical_id} is not the ARN of a function of the template: {token}")
    return properties


def secret_id(resources: dict, what: str, value) -> str:
    """The logical ID of the AWS::SecretsManager::Secret that value is a Ref to."""
    logical_id = value.get("Ref") if isinstance(value, dict) and len(value) == 1 else None
    if resources.get(logical_id, {}).get("Type") != "AWS::SecretsManager::Secret":
        fail(f"{what} must be a Ref to a secret of the template, got {json.dumps(value)}")
    return logical_id


def grantee_statements(resources: dict, role_id: str) -> list:
    """The statements of the one AWS::IAM::Policy attached to role_id (where grants land)."""
    policies = [
        resources[logical_id]["Properties"]
        for logical_id in logical_ids(resources, "AWS::IAM::Policy")
        if resources[logical_id]["Properties"].get("Roles") == [{"Ref": role_id}]
    ]
    if len(policies) != 1:
        fail(f"expected exactly one AWS::IAM::Policy on role {role_id}, found {len(policies)}")
    return policies[0]["PolicyDocument"]["Statement"]


def expect_equal(what: str, actual, expected) -> None:
    if actual != expected:
        fail(f"{what}:\n  expected {json.dumps(expected, sort_keys=True)}\n  actual   {json.dumps(actual, sort_keys=True)}")


def fail(message: str) -> None:
    print(f"FAIL (python): {message}", file=sys.stderr)
    sys.exit(1)


DASHBOARD_STACK_NAME = "BindingsDashboardStack"
IMPORTED_STAGE_ARN = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGh1234"


def define_dashboard_stack(stack: cdk.Stack) -> None:
    """A dashboard for an imported stage and an L1 stage, a token issuer and a function with a
    dead-letter queue, with its alarms paging a topic."""
    imported = ivs.Stage.from_stage_arn(stack, "Imported", IMPORTED_STAGE_ARN)
    l1_stage = cfn_ivs.CfnStage(stack, "L1Stage", name="bindings-l1-stage")
    issuer = ivs.ParticipantTokenIssuer(stack, "Tokens", stages=[imported])
    on_call = sns.Topic(stack, "OnCall")
    dashboard = ivs.IvsRealtimeDashboard(
        stack,
        "Dashboard",
        dashboard_name="bindings-dashboard",
        stages=[imported, l1_stage],
        token_issuers=[issuer],
        alarm_actions=[cloudwatch_actions.SnsAction(on_call)],
    )
    dashboard.add_function(
        "Composer", issuer.issuer_function, dead_letter_queue=sqs.Queue(stack, "Dlq"), errors_alarm_threshold=1
    )


def flatten(value) -> str:
    """A template value as text, each CloudFormation token as <token>."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(flatten(part) for part in parts)
    return "<token>"


def check_dashboard(template: dict) -> None:
    resources = template["Resources"]
    dashboard = resources[one_logical_id(resources, "AWS::CloudWatch::Dashboard")]["Properties"]
    expect_equal("AWS::CloudWatch::Dashboard name", dashboard["DashboardName"], "bindings-dashboard")
    body = json.loads(flatten(dashboard["DashboardBody"]))
    metrics = {tuple(m[:4]) for w in body["widgets"] for m in w["properties"].get("metrics", []) if len(m) > 4}
    for name in ["Publishers", "Subscribers", "PublishBitrate", "SubscribeBitrate", "DownloadPacketLoss", "DroppedFrames"]:
        if ("AWS/IVSRealTime", name, "Stage", "AbCdEfGh1234") not in metrics:
            fail(f"the dashboard does not graph {name} of the imported stage: {sorted(metrics)}")
    filters = sorted(
        r["Properties"]["MetricTransformations"][0]["MetricName"]
        for r in resources.values()
        if r["Type"] == "AWS::Logs::MetricFilter"
    )
    expect_equal(
        "AWS::Logs::MetricFilter metrics",
        filters,
        ["CompositionDestinationFailures", "CompositionSessionFailures", "PublishErrors", "RecordingFailures"],
    )
    expect_equal("AWS::Events::Rule count", len(logical_ids(resources, "AWS::Events::Rule")), 2)
    topic = {"Ref": one_logical_id(resources, "AWS::SNS::Topic")}
    alarms = [resources[i]["Properties"] for i in logical_ids(resources, "AWS::CloudWatch::Alarm")]
    # Two per stage, recording and composition failures, and per function a throttle alarm, the
    # issuer's and the composer's errors, the composer's dead-letter queue.
    expect_equal("AWS::CloudWatch::Alarm count", len(alarms), 11)
    expect_equal("alarm actions", [a.get("AlarmActions") for a in alarms], [[topic]] * 11)


def main() -> None:
    outdir = tempfile.mkdtemp(prefix="cdk-ivs-realtime-python-")
    app = cdk.App(outdir=outdir)
    stack = cdk.Stack(app, STACK_NAME, env=cdk.Environment(account="123456789012", region="us-east-1"))
    grantees = define_stack(stack)
    grantee_ids = {name: stack.get_logical_id(role.node.default_child) for name, role in grantees.items()}
    assembly = app.synth()

    with open(os.path.join(assembly.directory, stack.template_file), encoding="utf-8") as f:
        template = json.load(f)
    check(template, assembly.directory, grantee_ids)

    dashboard_app = cdk.App(outdir=tempfile.mkdtemp(prefix="cdk-ivs-realtime-python-dashboard-"))
    dashboard_stack = cdk.Stack(
        dashboard_app, DASHBOARD_STACK_NAME, env=cdk.Environment(account="123456789012", region="us-east-1")
    )
    define_dashboard_stack(dashboard_stack)
    dashboard_assembly = dashboard_app.synth()
    with open(os.path.join(dashboard_assembly.directory, dashboard_stack.template_file), encoding="utf-8") as f:
        check_dashboard(json.load(f))
    check_validation_errors_cross_binding()
    print("python binding: template checks passed")


if __name__ == "__main__":
    main()
