// Types of the roster import (花名册导入, DOMAIN.md "Roster template"): a sheet comes in as rows of cell
// values, is parsed and validated into typed records, then compared with the roster for the preview.
import type { Guardian, Student } from '../domain/student';

/**
 * One cell as the reader found it. Strings are text cells (CSV cells are always strings); numbers are
 * numeric cells (an ID number in one has already lost digits); Dates are real Excel dates.
 */
export type RawCell = string | number | boolean | Date | null;

/** An import error, also the shape of `xueji validate --json` errors. */
export type ImportError = {
  /** 1-based sheet row (the header row is usually 1, so the first student is row 2) */
  row: number;
  /** the header text of the column as written in the file */
  column: string;
  /** a stable error code, e.g. ID_CHECK_DIGIT */
  code: string;
  /** the reason in Chinese */
  message: string;
};

/** Fields of the template that map directly onto the student record. */
export type TemplateStudentField =
  | 'idType'
  | 'idNo'
  | 'name'
  | 'gender'
  | 'birthDate'
  | 'ethnicity'
  | 'nativePlace'
  | 'politicalStatus'
  | 'overseas'
  | 'health'
  | 'hukouType'
  | 'hukouPlace'
  | 'address'
  | 'phone'
  | 'grade'
  | 'classId'
  | 'major'
  | 'schoolingYears'
  | 'enrolYearMonth'
  | 'studyForm'
  | 'attendMode'
  | 'statusNo'
  | 'schoolNo';

/** A valid imported row in stored form (codes, ISO dates, YYYYMM), with the first guardian if given. */
export type ImportRecord = Pick<Student, RequiredTemplateField> &
  Partial<Pick<Student, Exclude<TemplateStudentField, RequiredTemplateField>>> & { guardian?: Guardian };

export type RequiredTemplateField =
  | 'idType'
  | 'idNo'
  | 'name'
  | 'gender'
  | 'birthDate'
  | 'ethnicity'
  | 'grade'
  | 'classId';

export type ParsedRow = {
  /** 1-based sheet row */
  row: number;
  /** the row's cells as text, in the file's column order (for the error report) */
  cells: string[];
  /** the stored-form record when the row is valid so far (steps 1–2) */
  record: ImportRecord | null;
  errors: ImportError[];
};

export type ParsedSheet = {
  /** 1-based row of the header */
  headerRow: number;
  /** the header texts as written, in file order */
  headers: string[];
  /** errors about the file as a whole: missing, unknown or repeated columns */
  fileErrors: ImportError[];
  /** true when a required column is missing: no row can be imported */
  blocked: boolean;
  rows: ParsedRow[];
  /** e.g. 'UTF-8', 'UTF-8 (BOM)', 'GB18030' for CSV files; 'xlsx' for workbooks */
  encoding?: string;
};
