// A date of a request's form as the form keeps it (YYYY-MM-DD), picked with antd's calendar in Chinese
// (the browser's own date input follows the machine's locale, which may be English).
import { DatePicker } from 'antd';
import dayjs from 'dayjs';

export function DateField({
  value,
  onChange,
  ...rest
}: {
  value?: string;
  onChange?: (v: string) => void;
  'data-testid'?: string;
  id?: string;
}) {
  return (
    <DatePicker
      {...rest}
      style={{ width: '100%' }}
      placeholder="选择日期"
      value={value ? dayjs(value) : null}
      onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : '')}
    />
  );
}
