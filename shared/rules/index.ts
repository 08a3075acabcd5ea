// The regulation engine (docs/rules.md): the registry, the settings, the checks and the case format.
export * from './case';
export * from './checks/changes';
export * from './checks/inspection';
export * from './checks/transfer';
export * from './checks/verification';
export * from './facts';
export * from './ids';
export * from './registry';
export * from './settings';
export * from './types';
