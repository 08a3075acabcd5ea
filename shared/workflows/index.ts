// Status changes, info changes, enrolment and graduation (issue 12): definitions, checks, decisions,
// what approval does, deadlines, the inbox provider, the conflict handler, the change roster and forms.
export * from './apply';
export * from './build';
export * from './checks';
export * from './deadline';
export * from './decide';
export * from './definitions';
export * from './facts';
export * from './forms';
export * from './inbox';
export * from './merge';
export * from './roster';
export * from './route';
export * from './state';
export * from './types';
