export * from './constructs/stage';
export * from './constructs/storage-configuration';
