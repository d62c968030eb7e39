// Command consumer defines a stack with every construct of cdk-ivs-realtime through its Go
// binding, synthesizes it and checks the template. It exits non-zero with a message on the first
// mismatch. test/bindings/run.sh runs it against the module generated into dist/go.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"
	"github.com/aws/jsii-runtime-go"
	ivs "github.com/cdk-ivs-realtime/cdk-ivs-realtime-go/cdkivsrealtime"
)

const stackName = "BindingsStack"

// object and list spell expected template fragments in the types encoding/json decodes into.
type object = map[string]interface{}
type list = []interface{}

var (
	stackTags         = object{"cost-center": "42"}
	secretReadActions = list{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}
)

const roomsJwtIssuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example"

// defineStack defines every construct of the library (a new construct goes here) and returns
// the roles that the grants go to, by name.
func defineStack(stack awscdk.Stack) map[string]awsiam.Role {
	bucket := awss3.NewBucket(stack, jsii.String("RecordingsBucket"), &awss3.BucketProps{
		Encryption: awss3.BucketEncryption_S3_MANAGED,
	})
	recordings := ivs.NewStorageConfiguration(stack, jsii.String("Recordings"), &ivs.StorageConfigurationProps{
		Bucket:                   bucket,
		StorageConfigurationName: jsii.String("bindings-recordings"),
	})
	stage := ivs.NewStage(stack, jsii.String("Stage"), &ivs.StageProps{
		StageName: jsii.String("bindings-stage"),
		AutoParticipantRecording: &ivs.AutoParticipantRecordingOptions{
			StorageConfiguration: recordings,
			MediaTypes:           &[]ivs.RecordingMediaType{ivs.RecordingMediaType_AUDIO_ONLY},
			Thumbnails: &ivs.ParticipantThumbnailOptions{
				RecordingMode:  ivs.ThumbnailRecordingMode_INTERVAL,
				Storage:        &[]ivs.ThumbnailStorage{ivs.ThumbnailStorage_SEQUENTIAL, ivs.ThumbnailStorage_LATEST},
				TargetInterval: awscdk.Duration_Minutes(jsii.Number(2)),
			},
			RecordingReconnectWindow:  awscdk.Duration_Seconds(jsii.Number(60)),
			HlsTargetSegmentDuration:  awscdk.Duration_Seconds(jsii.Number(10)),
			RecordParticipantReplicas: jsii.Bool(false),
		},
		Tags: &map[string]*string{"team": jsii.String("video")},
	})
	ingest := ivs.NewIngestConfiguration(stack, jsii.String("Encoder"), &ivs.IngestConfigurationProps{
		IngestProtocol:          ivs.IngestProtocol_RTMPS,
		Stage:                   stage,
		IngestConfigurationName: jsii.String("bindings-encoder"),
		UserId:                  jsii.String("studio-a"),
		Attributes:              &map[string]*string{"role": jsii.String("host")},
	})
	fullHd := ivs.NewEncoderConfiguration(stack, jsii.String("FullHd"), &ivs.EncoderConfigurationProps{
		EncoderConfigurationName: jsii.String("bindings-full-hd"),
		Video:                    ivs.EncoderVideo_FULL_HD_1080(),
	})
	ivs.NewEncoderConfiguration(stack, jsii.String("Square"), &ivs.EncoderConfigurationProps{
		EncoderConfigurationName: jsii.String("bindings-square"),
		Video: ivs.EncoderVideo_Custom(&ivs.EncoderVideoProps{
			Width:     jsii.Number(1080),
			Height:    jsii.Number(1080),
			Framerate: jsii.Number(29.97),
			Bitrate:   jsii.Number(4_500_000),
		}),
	})
	tokenKey := ivs.NewPublicKey(stack, jsii.String("TokenKey"), &ivs.PublicKeyProps{
		PublicKeyName:     jsii.String("bindings-token-key"),
		PublicKeyMaterial: ivs.PublicKeyMaterial_Generate(),
	})
	// A key whose private half never leaves KMS, and the issuer that signs tokens with it.
	kmsKey := ivs.NewPublicKey(stack, jsii.String("KmsKey"), &ivs.PublicKeyProps{
		PublicKeyName:     jsii.String("bindings-kms-key"),
		PublicKeyMaterial: ivs.PublicKeyMaterial_GenerateInKms(),
	})
	issuer := ivs.NewParticipantTokenIssuer(stack, jsii.String("Tokens"), &ivs.ParticipantTokenIssuerProps{
		Stages:     &[]ivs.IStage{stage},
		SigningKey: kmsKey,
	})
	for key, value := range stackTags {
		awscdk.Tags_Of(stack).Add(jsii.String(key), jsii.String(value.(string)), nil)
	}

	// The backend mints participant tokens, through the API or signed with the private key; the
	// encoder setup hands the stream key to the encoder.
	backend := awsiam.NewRole(stack, jsii.String("Backend"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})
	stage.GrantCreateParticipantToken(backend)
	tokenKey.GrantReadPrivateKey(backend)
	encoderSetup := awsiam.NewRole(stack, jsii.String("EncoderSetup"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})
	ingest.GrantReadStreamKey(encoderSetup)

	// The run-time side: the backend starts compositions, with an L1 encoder configuration beside
	// one of ours (a reference interface takes either); a rule reacts to compositions ending; an
	// alarm watches packet loss.
	l1Encoder := awsivs.NewCfnEncoderConfiguration(stack, jsii.String("L1Encoder"), &awsivs.CfnEncoderConfigurationProps{
		Name: jsii.String("bindings-l1-encoder"),
	})
	stage.Grants().StartComposition(backend, &ivs.StartCompositionGrantOptions{
		EncoderConfigurations: &[]interfacesawsivs.IEncoderConfigurationRef{fullHd, l1Encoder},
		StorageConfiguration:  recordings,
	})
	stage.OnCompositionStateChange(jsii.String("CompositionEnded"), &ivs.CompositionRuleOptions{
		EventNames: &[]ivs.CompositionEventName{ivs.CompositionEventName_SESSION_END()},
	})
	stage.MetricDownloadPacketLoss(nil).CreateAlarm(stack, jsii.String("PacketLoss"), &awscloudwatch.CreateAlarmOptions{
		Threshold:         jsii.Number(5),
		EvaluationPeriods: jsii.Number(3),
	})
	issuer.GrantInvoke(backend)

	// The stage composes itself: one video per session into S3, and a broadcast to an L1
	// low-latency channel with the L1 encoder configuration.
	channel := awsivs.NewCfnChannel(stack, jsii.String("Channel"), &awsivs.CfnChannelProps{
		Name:        jsii.String("bindings-channel"),
		LatencyMode: jsii.String("LOW"),
	})
	ivs.NewStageComposition(stack, jsii.String("Composition"), &ivs.StageCompositionProps{
		Stage: stage,
		Layout: ivs.CompositionLayout_Pip(&ivs.PipLayoutOptions{
			PipParticipantAttribute: jsii.String("host"),
			PipPosition:             ivs.PipPosition_TOP_RIGHT(),
		}),
		Destinations: &[]ivs.CompositionDestination{
			ivs.CompositionDestination_S3(&ivs.S3CompositionDestinationOptions{
				StorageConfiguration:     recordings,
				EncoderConfiguration:     fullHd,
				HlsTargetSegmentDuration: awscdk.Duration_Seconds(jsii.Number(4)),
			}),
			ivs.CompositionDestination_Channel(&ivs.ChannelCompositionDestinationOptions{
				Channel:              channel,
				EncoderConfiguration: l1Encoder,
			}),
		},
	})

	// Rooms on demand: a stage made as a room's first user joins, tokens signed with the KMS key,
	// browsers joining through the app's identity provider and backends directly.
	rooms := ivs.NewStageRooms(stack, jsii.String("Rooms"), &ivs.StageRoomsProps{
		SigningKey:      kmsKey,
		StageNamePrefix: jsii.String("class-"),
		IdleTimeout:     awscdk.Duration_Minutes(jsii.Number(30)),
		BrowserEndpoint: &ivs.RoomsBrowserEndpointOptions{
			JwtIssuer:   jsii.String(roomsJwtIssuer),
			JwtAudience: jsii.Strings("bindings-client"),
			CapabilityPolicy: ivs.RoomCapabilityPolicy_ByClaim(&ivs.RoomCapabilityClaimOptions{
				Claim:   jsii.String("cognito:groups"),
				Values:  jsii.Strings("host"),
				Granted: &[]ivs.ParticipantCapability{ivs.ParticipantCapability_PUBLISH, ivs.ParticipantCapability_SUBSCRIBE},
			}),
		},
	})
	roomsBackend := awsiam.NewRole(stack, jsii.String("RoomsBackend"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})
	rooms.GrantJoin(roomsBackend)
	return map[string]awsiam.Role{"backend": backend, "encoderSetup": encoderSetup, "roomsBackend": roomsBackend}
}

func check(template object, outdir string, granteeIDs map[string]string) {
	resources := template["Resources"].(object)

	bucketID := oneLogicalID(resources, "AWS::S3::Bucket")
	expectEqual("AWS::S3::Bucket BucketEncryption", properties(resources, bucketID)["BucketEncryption"], object{
		"ServerSideEncryptionConfiguration": list{object{"ServerSideEncryptionByDefault": object{"SSEAlgorithm": "AES256"}}},
	})

	storageID := oneLogicalID(resources, "Custom::IvsStorageConfiguration")
	expectEqual("Custom::IvsStorageConfiguration properties", ivsProperties(resources, storageID), object{
		"Name": "bindings-recordings",
		"S3":   object{"BucketName": object{"Ref": bucketID}},
		"Tags": stackTags,
	})

	stageID := oneLogicalID(resources, "Custom::IvsStage")
	stageArn := object{"Fn::GetAtt": list{stageID, "Arn"}}
	expectEqual("Custom::IvsStage properties", ivsProperties(resources, stageID), object{
		"Name": "bindings-stage",
		"AutoParticipantRecordingConfiguration": object{
			"StorageConfigurationArn": object{"Fn::GetAtt": list{storageID, "Arn"}},
			"MediaTypes":              list{"AUDIO_ONLY"},
			"ThumbnailConfiguration": object{
				"RecordingMode":         "INTERVAL",
				"Storage":               list{"SEQUENTIAL", "LATEST"},
				"TargetIntervalSeconds": "120",
			},
			"RecordingReconnectWindowSeconds": "60",
			"HlsTargetSegmentDurationSeconds": "10",
			"RecordParticipantReplicas":       "false",
		},
		"Tags": object{"cost-center": "42", "team": "video"},
	})

	ingestID := oneLogicalID(resources, "Custom::IvsIngestConfiguration")
	ingest := ivsProperties(resources, ingestID)
	streamKeySecretID := secretID(resources, "StreamKeySecretArn", ingest["StreamKeySecretArn"])
	expectEqual("Custom::IvsIngestConfiguration properties", ingest, object{
		"Name":               "bindings-encoder",
		"IngestProtocol":     "RTMPS",
		"StageArn":           stageArn,
		"UserId":             "studio-a",
		"Attributes":         object{"role": "host"},
		"InsecureIngest":     "false",
		"RedundantIngest":    "false",
		"StreamKeySecretArn": object{"Ref": streamKeySecretID},
		"Tags":               stackTags,
	})

	encoders := []object{}
	for _, id := range logicalIDs(resources, "Custom::IvsEncoderConfiguration") {
		encoders = append(encoders, ivsProperties(resources, id))
	}
	sort.Slice(encoders, func(i, j int) bool { return fmt.Sprint(encoders[i]["Name"]) < fmt.Sprint(encoders[j]["Name"]) })
	expectEqual("Custom::IvsEncoderConfiguration properties", encoders, []object{
		{
			"Name":  "bindings-full-hd",
			"Video": object{"Width": "1920", "Height": "1080", "Framerate": "30", "Bitrate": "6000000"},
			"Tags":  stackTags,
		},
		{
			"Name":  "bindings-square",
			"Video": object{"Width": "1080", "Height": "1080", "Framerate": "29.97", "Bitrate": "4500000"},
			"Tags":  stackTags,
		},
	})

	keyIDs := map[string]string{}
	keyNames := []string{}
	for _, id := range logicalIDs(resources, "Custom::IvsPublicKey") {
		name := ivsProperties(resources, id)["Name"].(string)
		keyIDs[name] = id
		keyNames = append(keyNames, name)
	}
	sort.Strings(keyNames)
	expectEqual("Custom::IvsPublicKey names", keyNames, []string{"bindings-kms-key", "bindings-token-key"})
	key := ivsProperties(resources, keyIDs["bindings-token-key"])
	privateKeySecretID := secretID(resources, "PrivateKeySecretArn", key["PrivateKeySecretArn"])
	// No PublicKeyMaterial: the key pair is generated at deploy time.
	expectEqual("Custom::IvsPublicKey properties", key, object{
		"Name":                "bindings-token-key",
		"PrivateKeySecretArn": object{"Ref": privateKeySecretID},
		"Tags":                stackTags,
	})

	// The KMS-backed key: no material and no secret, the ARN of a P-384 signing key of the stack.
	kmsKeyID := oneLogicalID(resources, "AWS::KMS::Key")
	kmsKey := properties(resources, kmsKeyID)
	expectEqual("AWS::KMS::Key spec and usage", list{kmsKey["KeySpec"], kmsKey["KeyUsage"]}, list{"ECC_NIST_P384", "SIGN_VERIFY"})
	expectEqual("Custom::IvsPublicKey properties of the KMS-backed key", ivsProperties(resources, keyIDs["bindings-kms-key"]), object{
		"Name":      "bindings-kms-key",
		"KmsKeyArn": object{"Fn::GetAtt": list{kmsKeyID, "Arn"}},
		"Tags":      stackTags,
	})
	checkIssuer(resources, stageID, kmsKeyID, keyIDs["bindings-kms-key"])
	checkRooms(resources, granteeIDs["roomsBackend"], kmsKeyID, keyIDs["bindings-kms-key"])

	checkNoSecretInTemplate(template, []string{streamKeySecretID, privateKeySecretID})
	checkComposition(resources, stageID, storageID)

	fullHdArn := object{"Fn::GetAtt": list{logicalIDNamed(resources, logicalIDs(resources, "Custom::IvsEncoderConfiguration"), "bindings-full-hd"), "Arn"}}
	l1EncoderArn := object{"Ref": oneLogicalID(resources, "AWS::IVS::EncoderConfiguration")}
	expectEqual("grant policy statements of the backend", granteeStatements(resources, granteeIDs["backend"]), list{
		object{"Action": "ivs:CreateParticipantToken", "Effect": "Allow", "Resource": stageArn},
		object{"Action": secretReadActions, "Effect": "Allow", "Resource": object{"Ref": privateKeySecretID}},
		object{"Action": "ivs:StartComposition", "Effect": "Allow", "Resource": list{
			stageArn, fullHdArn, l1EncoderArn, object{"Fn::GetAtt": list{storageID, "Arn"}},
		}},
		object{"Action": list{"ivs:GetComposition", "ivs:StopComposition"}, "Effect": "Allow", "Resource": object{
			"Fn::Join": list{"", list{"arn:", object{"Ref": "AWS::Partition"}, ":ivs:us-east-1:123456789012:composition/*"}},
		}},
		object{"Action": "ivs:ListCompositions", "Effect": "Allow", "Resource": list{stageArn, fullHdArn, l1EncoderArn}},
		object{"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": object{"Fn::GetAtt": list{issuerFunctionID(resources), "Arn"}}},
	})

	stageRuleID := oneRuleID(resources, func(pattern object) bool {
		detail, ok := pattern["detail"].(object)
		_, named := detail["stage_arn"]
		return ok && named
	})
	expectEqual("AWS::Events::Rule EventPattern", properties(resources, stageRuleID)["EventPattern"], object{
		"source":      list{"aws.ivs"},
		"detail-type": list{"IVS Composition State Change"},
		"detail":      object{"stage_arn": list{stageArn}, "event_name": list{"Session End"}},
	})
	alarm := properties(resources, oneLogicalID(resources, "AWS::CloudWatch::Alarm"))
	expectEqual("AWS::CloudWatch::Alarm metric", list{
		alarm["Namespace"], alarm["MetricName"], alarm["Dimensions"], alarm["Statistic"], alarm["Period"], alarm["Threshold"],
	}, list{
		"AWS/IVSRealTime", "DownloadPacketLoss",
		list{object{"Name": "Stage", "Value": object{"Fn::GetAtt": list{stageID, "StageId"}}}},
		"Average", float64(300), float64(5),
	})
	encoderSetupStatements := granteeStatements(resources, granteeIDs["encoderSetup"])
	expectEqual("grant policy statements of the encoder setup", encoderSetupStatements, list{
		object{"Action": secretReadActions, "Effect": "Allow", "Resource": object{"Ref": streamKeySecretID}},
	})

	// The handler bundle must travel inside the package: synth stages it as an asset.
	for _, logicalID := range logicalIDs(resources, "AWS::Lambda::Function") {
		s3Key := properties(resources, logicalID)["Code"].(object)["S3Key"].(string)
		handler := filepath.Join(outdir, "asset."+strings.TrimSuffix(s3Key, ".zip"), "index.js")
		if info, err := os.Stat(handler); err != nil || info.IsDir() {
			fail("the asset of %s has no index.js in the cloud assembly: %s", logicalID, handler)
		}
	}
}

// checkComposition checks the stage composition: a rule on the stage's Participant Published
// events runs the composer, whose environment names the stage and both destinations, and whose
// role may start compositions of exactly these resources.
func checkComposition(resources object, stageID string, storageID string) {
	stageArn := object{"Fn::GetAtt": list{stageID, "Arn"}}
	channelArn := object{"Ref": oneLogicalID(resources, "AWS::IVS::Channel")}
	fullHdArn := object{"Fn::GetAtt": list{logicalIDNamed(resources, logicalIDs(resources, "Custom::IvsEncoderConfiguration"), "bindings-full-hd"), "Arn"}}
	l1EncoderArn := object{"Ref": oneLogicalID(resources, "AWS::IVS::EncoderConfiguration")}
	storageArn := object{"Fn::GetAtt": list{storageID, "Arn"}}
	composers := []string{}
	for _, id := range logicalIDs(resources, "AWS::Lambda::Function") {
		if description, ok := properties(resources, id)["Description"].(string); ok && strings.Contains(description, "starts one composition per stage session") {
			composers = append(composers, id)
		}
	}
	if len(composers) != 1 {
		fail("expected exactly one composer function, found %v", composers)
	}
	function := properties(resources, composers[0])
	environment := function["Environment"].(object)["Variables"].(object)
	expectEqual("composer STAGE_ARN", environment["STAGE_ARN"], stageArn)
	request := toJSON(environment["COMPOSITION_REQUEST"])
	for _, part := range []string{toJSON(channelArn), toJSON(storageArn), toJSON(fullHdArn), toJSON(l1EncoderArn), `targetSegmentDurationSeconds\":4`, "TOP_RIGHT"} {
		if !strings.Contains(request, part) {
			fail("the composer's COMPOSITION_REQUEST lacks %s: %s", part, request)
		}
	}
	oneRuleID(resources, func(pattern object) bool {
		return reflect.DeepEqual(pattern, object{
			"source":      list{"aws.ivs"},
			"detail-type": list{"IVS Stage Update"},
			"resources":   list{stageArn},
			"detail":      object{"event_name": list{"Participant Published"}},
		})
	})
	roleID := function["Role"].(object)["Fn::GetAtt"].([]interface{})[0].(string)
	starts := list{}
	for _, statement := range granteeStatements(resources, roleID).([]interface{}) {
		if statement.(object)["Action"] == "ivs:StartComposition" {
			starts = append(starts, statement)
		}
	}
	expectEqual("composer StartComposition statement", starts, list{object{
		"Action":   "ivs:StartComposition",
		"Effect":   "Allow",
		"Resource": list{stageArn, fullHdArn, l1EncoderArn, storageArn, channelArn},
	}})
}

// oneRuleID returns the one AWS::Events::Rule whose EventPattern matches.
func oneRuleID(resources object, matches func(object) bool) string {
	ids := []string{}
	for _, id := range logicalIDs(resources, "AWS::Events::Rule") {
		// Scheduled rules have no event pattern.
		if pattern, ok := properties(resources, id)["EventPattern"].(object); ok && matches(pattern) {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		fail("expected exactly one such AWS::Events::Rule, found %v", ids)
	}
	return ids[0]
}

// functionDescribed is the one function whose description says words.
func functionDescribed(resources object, words string) string {
	ids := []string{}
	for _, id := range logicalIDs(resources, "AWS::Lambda::Function") {
		if description, ok := properties(resources, id)["Description"].(string); ok && strings.Contains(description, words) {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		fail("expected exactly one function that %s, found %v", words, ids)
	}
	return ids[0]
}

// checkRooms checks rooms on demand: an on-demand table with point-in-time recovery, a join
// function that signs in KMS with the construct's settings, a janitor with the idle timeout, a
// browser route behind a JWT authorizer with the issuer and audience given, and a backend that
// may invoke the join function only.
func checkRooms(resources object, backendID string, kmsKeyID string, publicKeyID string) {
	tableID := oneLogicalID(resources, "AWS::DynamoDB::Table")
	table := properties(resources, tableID)
	expectEqual("rooms table", list{table["BillingMode"], table["KeySchema"], table["PointInTimeRecoverySpecification"], table["SSESpecification"]}, list{
		"PAY_PER_REQUEST",
		list{object{"AttributeName": "roomKey", "KeyType": "HASH"}},
		object{"PointInTimeRecoveryEnabled": true},
		object{"SSEEnabled": true},
	})
	joinID := functionDescribed(resources, "joins rooms on demand")
	join := properties(resources, joinID)["Environment"].(object)["Variables"].(object)
	expectEqual("join function environment", list{join["ROOMS_TABLE"], join["ROOMS_STAGE_NAME_PREFIX"], join["ROOMS_CAPABILITY_POLICY"],
		join["TOKEN_SIGNING"], join["KMS_KEY_ARN"], join["PUBLIC_KEY_ARN"]}, list{
		object{"Ref": tableID},
		"class-",
		`{"capabilities":["SUBSCRIBE"],"claim":"cognito:groups","values":["host"],"granted":["PUBLISH","SUBSCRIBE"]}`,
		"KMS",
		object{"Fn::GetAtt": list{kmsKeyID, "Arn"}},
		object{"Fn::GetAtt": list{publicKeyID, "Arn"}},
	})
	janitor := properties(resources, functionDescribed(resources, "deletes the stages of idle rooms"))
	expectEqual("janitor ROOMS_IDLE_SECONDS", janitor["Environment"].(object)["Variables"].(object)["ROOMS_IDLE_SECONDS"], "1800")
	authorizer := properties(resources, oneLogicalID(resources, "AWS::ApiGatewayV2::Authorizer"))
	expectEqual("join endpoint authorizer", list{authorizer["AuthorizerType"], authorizer["JwtConfiguration"]}, list{
		"JWT", object{"Audience": list{"bindings-client"}, "Issuer": roomsJwtIssuer},
	})
	route := properties(resources, oneLogicalID(resources, "AWS::ApiGatewayV2::Route"))
	expectEqual("join endpoint route", list{route["RouteKey"], route["AuthorizationType"]}, list{"POST /join", "JWT"})
	expectEqual("grant policy statements of the rooms backend", granteeStatements(resources, backendID), list{
		object{"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": object{"Fn::GetAtt": list{joinID, "Arn"}}},
	})
}

func issuerFunctionID(resources object) string {
	return functionDescribed(resources, "mints participant tokens")
}

// checkIssuer checks that the token issuer signs in KMS: its environment names the key, the IVS
// public key and the stage with its endpoints, and its own role may sign with that key and write
// its log group only.
func checkIssuer(resources object, stageID string, kmsKeyID string, publicKeyID string) {
	function := properties(resources, issuerFunctionID(resources))
	roleRef, _ := function["Role"].(object)["Fn::GetAtt"].(list)
	roleID, _ := roleRef[0].(string)
	if resources[roleID] == nil || resources[roleID].(object)["Type"] != "AWS::IAM::Role" {
		fail("the token issuer's role is not a role of the template: %s", toJSON(function["Role"]))
	}
	environment := object{}
	for name, value := range function["Environment"].(object)["Variables"].(object) {
		environment[name] = value
	}
	stages := toJSON(environment["STAGES"])
	delete(environment, "STAGES")
	expectEqual("token issuer environment", environment, object{
		"TOKEN_SIGNING":  "KMS",
		"KMS_KEY_ARN":    object{"Fn::GetAtt": list{kmsKeyID, "Arn"}},
		"PUBLIC_KEY_ARN": object{"Fn::GetAtt": list{publicKeyID, "Arn"}},
	})
	for _, attribute := range []string{"Arn", "EventsEndpoint", "WhipEndpoint"} {
		if !strings.Contains(stages, toJSON(object{"Fn::GetAtt": list{stageID, attribute}})) {
			fail("the token issuer's STAGES lacks the stage's %s: %s", attribute, stages)
		}
	}
	// Its own log group: the one its logging configuration names (each handler has one too).
	logGroupID, _ := function["LoggingConfig"].(object)["LogGroup"].(object)["Ref"].(string)
	expectEqual("token issuer log group type", resources[logGroupID].(object)["Type"], "AWS::Logs::LogGroup")
	expectEqual("token issuer role statements", granteeStatements(resources, roleID), list{
		object{"Action": list{"logs:CreateLogStream", "logs:PutLogEvents"}, "Effect": "Allow", "Resource": object{"Fn::GetAtt": list{logGroupID, "Arn"}}},
		object{"Action": "kms:Sign", "Effect": "Allow", "Resource": object{"Fn::GetAtt": list{kmsKeyID, "Arn"}}},
	})
	if _, managed := properties(resources, roleID)["ManagedPolicyArns"]; managed {
		fail("the token issuer role has managed policies")
	}
}

// checkNoSecretInTemplate checks that the template holds the secrets' references and nothing of
// their values: stream keys and private keys are written into the secrets at deploy time.
func checkNoSecretInTemplate(template object, secretIDs []string) {
	resources := template["Resources"].(object)
	secrets := logicalIDs(resources, "AWS::SecretsManager::Secret")
	sort.Strings(secretIDs)
	expectEqual("AWS::SecretsManager::Secret resources", secrets, secretIDs)
	for _, logicalID := range secrets {
		if _, found := properties(resources, logicalID)["SecretString"]; found {
			fail("the secret %s has a SecretString in the template", logicalID)
		}
	}
	text := toJSON(template)
	for _, material := range []string{"PRIVATE KEY", "PublicKeyMaterial", `"StreamKey"`, "streamKey", "privateKeyPem"} {
		if strings.Contains(text, material) {
			fail("the template contains %q", material)
		}
	}
	if outputs, found := template["Outputs"]; found {
		fail("the template has outputs: %s", toJSON(outputs))
	}
}

// checkValidationErrorsCrossBinding checks that the library's synth-time checks panic in Go, with
// the library's message.
func checkValidationErrorsCrossBinding() {
	expectValidationError("a stage name with a space", func(scope awscdk.Stack) {
		ivs.NewStage(scope, jsii.String("Stage"), &ivs.StageProps{StageName: jsii.String("town hall")})
	}, "stageName must match")
	expectValidationError("an odd encoder width", func(scope awscdk.Stack) {
		ivs.NewEncoderConfiguration(scope, jsii.String("Encoder"), &ivs.EncoderConfigurationProps{
			Video: ivs.EncoderVideo_Custom(&ivs.EncoderVideoProps{Width: jsii.Number(1279)}),
		})
	}, "video.width must be even, got 1279")
}

func expectValidationError(what string, define func(awscdk.Stack), message string) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("InvalidStack"), nil)
	defer func() {
		// jsii raises the library's error as a panic
		recovered := recover()
		if recovered == nil {
			fail("%s was accepted", what)
		}
		if !strings.Contains(fmt.Sprint(recovered), message) {
			fail("%s raised an unexpected error: %v", what, recovered)
		}
	}()
	define(stack)
}

func logicalIDs(resources object, resourceType string) []string {
	ids := []string{}
	for id, resource := range resources {
		if resource.(object)["Type"] == resourceType {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

func oneLogicalID(resources object, resourceType string) string {
	ids := logicalIDs(resources, resourceType)
	if len(ids) != 1 {
		fail("expected exactly one %s, found %d: %v", resourceType, len(ids), ids)
	}
	return ids[0]
}

// logicalIDNamed returns the one of ids whose Name property is name.
func logicalIDNamed(resources object, ids []string, name string) string {
	named := []string{}
	for _, id := range ids {
		if properties(resources, id)["Name"] == name {
			named = append(named, id)
		}
	}
	if len(named) != 1 {
		fail("expected exactly one resource named %s among %v, found %d", name, ids, len(named))
	}
	return named[0]
}

// ivsProperties returns the properties of a custom resource without its provider wiring
// (ServiceToken, which must be a function of the template, and ServiceTimeout), which
// test/constructs pins.
func ivsProperties(resources object, logicalID string) object {
	result := object{}
	for name, value := range properties(resources, logicalID) {
		result[name] = value
	}
	token := result["ServiceToken"]
	delete(result, "ServiceToken")
	delete(result, "ServiceTimeout")
	for _, functionID := range logicalIDs(resources, "AWS::Lambda::Function") {
		if reflect.DeepEqual(token, object{"Fn::GetAtt": list{functionID, "Arn"}}) {
			return result
		}
	}
	fail("the ServiceToken of %s is not the ARN of a function of the template: %s", logicalID, toJSON(token))
	return nil
}

// secretID returns the logical ID of the AWS::SecretsManager::Secret that value is a Ref to.
func secretID(resources object, what string, value interface{}) string {
	if ref, isObject := value.(object); isObject && len(ref) == 1 {
		if logicalID, isString := ref["Ref"].(string); isString {
			if resource, found := resources[logicalID]; found && resource.(object)["Type"] == "AWS::SecretsManager::Secret" {
				return logicalID
			}
		}
	}
	fail("%s must be a Ref to a secret of the template, got %s", what, toJSON(value))
	return ""
}

// granteeStatements returns the statements of the one AWS::IAM::Policy attached to roleID (where
// grants land).
func granteeStatements(resources object, roleID string) interface{} {
	policies := []object{}
	for _, id := range logicalIDs(resources, "AWS::IAM::Policy") {
		policy := properties(resources, id)
		if reflect.DeepEqual(policy["Roles"], list{object{"Ref": roleID}}) {
			policies = append(policies, policy)
		}
	}
	if len(policies) != 1 {
		fail("expected exactly one AWS::IAM::Policy on role %s, found %d", roleID, len(policies))
	}
	return policies[0]["PolicyDocument"].(object)["Statement"]
}

func properties(resources object, logicalID string) object {
	return resources[logicalID].(object)["Properties"].(object)
}

func expectEqual(what string, actual interface{}, expected interface{}) {
	if !reflect.DeepEqual(actual, expected) {
		fail("%s:\n  expected %s\n  actual   %s", what, toJSON(expected), toJSON(actual))
	}
}

func toJSON(value interface{}) string {
	encoded, _ := json.Marshal(value) // map keys come out sorted
	return string(encoded)
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL (go): "+format+"\n", args...)
	os.Exit(1)
}

const dashboardStackName = "BindingsDashboardStack"
const importedStageArn = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGh1234"

// defineDashboardStack defines a dashboard for an imported stage and an L1 stage, a token issuer
// and a function with a dead-letter queue, with its alarms paging a topic.
func defineDashboardStack(stack awscdk.Stack) {
	imported := ivs.Stage_FromStageArn(stack, jsii.String("Imported"), jsii.String(importedStageArn))
	l1Stage := awsivs.NewCfnStage(stack, jsii.String("L1Stage"), &awsivs.CfnStageProps{Name: jsii.String("bindings-l1-stage")})
	issuer := ivs.NewParticipantTokenIssuer(stack, jsii.String("Tokens"), &ivs.ParticipantTokenIssuerProps{
		Stages: &[]ivs.IStage{imported},
	})
	onCall := awssns.NewTopic(stack, jsii.String("OnCall"), nil)
	dashboard := ivs.NewIvsRealtimeDashboard(stack, jsii.String("Dashboard"), &ivs.IvsRealtimeDashboardProps{
		DashboardName: jsii.String("bindings-dashboard"),
		Stages:        &[]interfacesawsivs.IStageRef{imported, l1Stage},
		TokenIssuers:  &[]ivs.ParticipantTokenIssuer{issuer},
		AlarmActions:  &[]awscloudwatch.IAlarmAction{awscloudwatchactions.NewSnsAction(onCall)},
	})
	dashboard.AddFunction(jsii.String("Composer"), issuer.IssuerFunction(), &ivs.WatchedFunctionOptions{
		DeadLetterQueue:      awssqs.NewQueue(stack, jsii.String("Dlq"), nil),
		ErrorsAlarmThreshold: jsii.Number(1),
	})
}

// flatten gives a template value as text, each CloudFormation token as <token>.
func flatten(value interface{}) string {
	if text, ok := value.(string); ok {
		return text
	}
	if fn, ok := value.(object); ok {
		if join, ok := fn["Fn::Join"].(list); ok {
			parts := []string{}
			for _, part := range join[1].(list) {
				parts = append(parts, flatten(part))
			}
			return strings.Join(parts, join[0].(string))
		}
	}
	return "<token>"
}

func checkDashboard(template object) {
	resources := template["Resources"].(object)
	dashboard := properties(resources, oneLogicalID(resources, "AWS::CloudWatch::Dashboard"))
	expectEqual("AWS::CloudWatch::Dashboard name", dashboard["DashboardName"], "bindings-dashboard")
	var body object
	if err := json.Unmarshal([]byte(flatten(dashboard["DashboardBody"])), &body); err != nil {
		fail("parsing the dashboard body: %v", err)
	}
	metrics := map[string]bool{}
	for _, widget := range body["widgets"].(list) {
		listed, _ := widget.(object)["properties"].(object)["metrics"].(list)
		for _, metric := range listed {
			if entry := metric.(list); len(entry) > 4 {
				metrics[toJSON(entry[:4])] = true
			}
		}
	}
	for _, name := range []string{"Publishers", "Subscribers", "PublishBitrate", "SubscribeBitrate", "DownloadPacketLoss", "DroppedFrames"} {
		if !metrics[toJSON(list{"AWS/IVSRealTime", name, "Stage", "AbCdEfGh1234"})] {
			fail("the dashboard does not graph %s of the imported stage: %v", name, metrics)
		}
	}
	filters := []string{}
	for _, id := range logicalIDs(resources, "AWS::Logs::MetricFilter") {
		filters = append(filters, properties(resources, id)["MetricTransformations"].(list)[0].(object)["MetricName"].(string))
	}
	sort.Strings(filters)
	expectEqual("AWS::Logs::MetricFilter metrics", filters,
		[]string{"CompositionDestinationFailures", "CompositionSessionFailures", "PublishErrors", "RecordingFailures"})
	expectEqual("AWS::Events::Rule count", len(logicalIDs(resources, "AWS::Events::Rule")), 2)
	topic := object{"Ref": oneLogicalID(resources, "AWS::SNS::Topic")}
	alarms := logicalIDs(resources, "AWS::CloudWatch::Alarm")
	// Two per stage, recording and composition failures, and per function a throttle alarm, the
	// issuer's and the composer's errors, the composer's dead-letter queue.
	expectEqual("AWS::CloudWatch::Alarm count", len(alarms), 11)
	for _, alarm := range alarms {
		expectEqual("actions of "+alarm, properties(resources, alarm)["AlarmActions"], list{topic})
	}
}

func main() {
	defer jsii.Close()

	outdir, err := os.MkdirTemp("", "cdk-ivs-realtime-go-")
	if err != nil {
		fail("%v", err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir)})
	stack := awscdk.NewStack(app, jsii.String(stackName), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")},
	})
	granteeIDs := map[string]string{}
	for name, role := range defineStack(stack) {
		granteeIDs[name] = *stack.GetLogicalId(role.Node().DefaultChild().(awscdk.CfnElement))
	}
	assembly := app.Synth(nil)

	raw, err := os.ReadFile(filepath.Join(*assembly.Directory(), *stack.TemplateFile()))
	if err != nil {
		fail("reading the template: %v", err)
	}
	var template object
	if err := json.Unmarshal(raw, &template); err != nil {
		fail("parsing the template: %v", err)
	}
	check(template, *assembly.Directory(), granteeIDs)

	dashboardOutdir, err := os.MkdirTemp("", "cdk-ivs-realtime-go-dashboard-")
	if err != nil {
		fail("%v", err)
	}
	dashboardApp := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(dashboardOutdir)})
	dashboardStack := awscdk.NewStack(dashboardApp, jsii.String(dashboardStackName), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")},
	})
	defineDashboardStack(dashboardStack)
	dashboardAssembly := dashboardApp.Synth(nil)
	rawDashboard, err := os.ReadFile(filepath.Join(*dashboardAssembly.Directory(), *dashboardStack.TemplateFile()))
	if err != nil {
		fail("reading the dashboard template: %v", err)
	}
	var dashboardTemplate object
	if err := json.Unmarshal(rawDashboard, &dashboardTemplate); err != nil {
		fail("parsing the dashboard template: %v", err)
	}
	checkDashboard(dashboardTemplate)
	checkValidationErrorsCrossBinding()
	fmt.Println("go binding: template checks passed")
}
