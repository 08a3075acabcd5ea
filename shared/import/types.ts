// Types of the roster import (花名册导入, DOMAIN.md "Roster template"): a sheet comes in as rows of cell
// values, is parsed and validated into typed records, then compared with the roster for the preview.
import type { Guardian, Student, StudentField } from '../domain/student';

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

/** Something the reader did that the user should know, without an error: a skipped footer row, the sheet read. */
export type ImportNotice = {
  /** 1-based sheet row, 0 for the file as a whole */
  row: number;
  code: string;
  message: string;
};

/** Fields of the student record that a template column carries. */
export type TemplateStudentField = Exclude<
  StudentField,
  'guardians' | 'status' | 'archive' | 'aid' | 'photoId'
>;

export type RequiredTemplateField =
  | 'idType'
  | 'idNo'
  | 'name'
  | 'gender'
  | 'birthDate'
  | 'ethnicity'
  | 'grade'
  | 'classId';

/**
 * A valid imported row in stored form (codes, ISO dates, YYYYMM). `members[i]` holds what the file gives
 * for family member i+1 (only the filled cells: a blank cell keeps a stored value on update).
 */
export type ImportRecord = Pick<Student, RequiredTemplateField> &
  Partial<Pick<Student, Exclude<TemplateStudentField, RequiredTemplateField>>> & {
    members?: (Partial<Guardian> | undefined)[];
  };

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
  /** 1-based row of the header (the upper row of a two-level header) */
  headerRow: number;
  /** 1-based row of the first data row's predecessor: headerRow, or headerRow + 1 for a two-level header */
  headerRows?: number;
  /** the header texts as written (a two-level header's two texts joined), in file order */
  headers: string[];
  /** errors about the file as a whole: missing, unknown or repeated columns */
  fileErrors: ImportError[];
  /** what the reader did that is not an error: the sheet it chose, footer rows it skipped */
  notices: ImportNotice[];
  /** true when a required column is missing: no row can be imported */
  blocked: boolean;
  rows: ParsedRow[];
  /** e.g. 'UTF-8', 'UTF-8 (BOM)', 'GB18030' for CSV files; 'xlsx', 'xls', 'ods' for workbooks */
  encoding?: string;
  /** the worksheet read, for workbooks */
  sheetName?: string;
  /** whether the file has any family-member column */
  hasMemberColumns?: boolean;
};
