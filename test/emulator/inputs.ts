import type {
  CreateEncoderConfigurationRequest,
  CreateIngestConfigurationRequest,
  CreateParticipantTokenRequest,
  CreateStageRequest,
  CreateStorageConfigurationRequest,
  DeleteEncoderConfigurationRequest,
  DeleteIngestConfigurationRequest,
  DeletePublicKeyRequest,
  DeleteStageRequest,
  DeleteStorageConfigurationRequest,
  GetCompositionRequest,
  GetEncoderConfigurationRequest,
  GetIngestConfigurationRequest,
  GetPublicKeyRequest,
  GetStageRequest,
  GetStorageConfigurationRequest,
  ImportPublicKeyRequest,
  ListCompositionsRequest,
  ListEncoderConfigurationsRequest,
  ListIngestConfigurationsRequest,
  ListPublicKeysRequest,
  ListStagesRequest,
  ListStorageConfigurationsRequest,
  ListTagsForResourceRequest,
  StartCompositionRequest,
  StopCompositionRequest,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateIngestConfigurationRequest,
  UpdateStageRequest,
} from '@aws-sdk/client-ivs-realtime';
import type { OperationName } from './shapes';

/** The input type of each operation once it has passed shape validation (the SDK's request types). */
export interface OperationInputs {
  CreateStage: CreateStageRequest;
  GetStage: GetStageRequest;
  UpdateStage: UpdateStageRequest;
  DeleteStage: DeleteStageRequest;
  ListStages: ListStagesRequest;
  CreateParticipantToken: CreateParticipantTokenRequest;
  CreateStorageConfiguration: CreateStorageConfigurationRequest;
  GetStorageConfiguration: GetStorageConfigurationRequest;
  DeleteStorageConfiguration: DeleteStorageConfigurationRequest;
  ListStorageConfigurations: ListStorageConfigurationsRequest;
  CreateEncoderConfiguration: CreateEncoderConfigurationRequest;
  GetEncoderConfiguration: GetEncoderConfigurationRequest;
  DeleteEncoderConfiguration: DeleteEncoderConfigurationRequest;
  ListEncoderConfigurations: ListEncoderConfigurationsRequest;
  CreateIngestConfiguration: CreateIngestConfigurationRequest;
  GetIngestConfiguration: GetIngestConfigurationRequest;
  UpdateIngestConfiguration: UpdateIngestConfigurationRequest;
  DeleteIngestConfiguration: DeleteIngestConfigurationRequest;
  ListIngestConfigurations: ListIngestConfigurationsRequest;
  ImportPublicKey: ImportPublicKeyRequest;
  GetPublicKey: GetPublicKeyRequest;
  DeletePublicKey: DeletePublicKeyRequest;
  ListPublicKeys: ListPublicKeysRequest;
  StartComposition: StartCompositionRequest;
  GetComposition: GetCompositionRequest;
  StopComposition: StopCompositionRequest;
  ListCompositions: ListCompositionsRequest;
  TagResource: TagResourceRequest;
  UntagResource: UntagResourceRequest;
  ListTagsForResource: ListTagsForResourceRequest;
}

// Compile-time check that every operation of the shape table has an input type and vice versa.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const OPERATION_INPUTS_COMPLETE: Exact<keyof OperationInputs, OperationName> = true;
