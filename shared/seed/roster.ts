// Deterministic, realistic demo rosters: the same generator feeds `xueji seed`, the demo school in the
// app, the server's demo province and the benchmarks.
import { emptyArchive } from '../domain/archive';
import { COMPOUND_SURNAMES, namePinyin } from '../domain/names';
import type { SchoolType } from '../domain/schemas';
import type { Guardian, Student } from '../domain/student';
import { makeIdNumber } from '../validate/id-number';
import { createRandom, type Random, seededId } from './random';

export type SeedOptions = {
  count: number;
  seed: number;
  schoolId?: string;
  orgPath?: string;
  schoolType?: SchoolType;
  /** first year of the current school year, e.g. 2026 for 2026–2027 */
  schoolYear?: number;
  /** stamped as updatedAt so the output does not depend on the clock */
  at?: string;
  by?: string;
  /** stamped as checkedBy on the archive parts marked present: a person's name, as archive-mark writes (default: by) */
  checkedByName?: string;
  /**
   * K-12 only: the school's 学段 (its three grades and the pupils' ages). Default 初中 (七–九年级), as before;
   * 普通高中 gives 高一–高三, 小学 四–六年级. The random sequence is the same whatever the stage.
   */
  k12Level?: 'primary' | 'junior' | 'senior';
};

// Common surnames roughly by frequency (the first ones repeat to weight them).
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '罗',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '许',
  '韩',
  '冯',
  '邓',
  '曹',
  '彭',
  '曾',
  '肖',
  '田',
  '董',
  '袁',
  '潘',
  '于',
  '蒋',
  '蔡',
  '余',
  '杜',
  '叶',
  '程',
  '苏',
  '魏',
  '吕',
  '丁',
  '任',
  '沈',
  '姚',
  '卢',
  '姜',
  '崔',
  '钟',
  '谭',
  '陆',
  '汪',
  '范',
  '金',
  '石',
  '廖',
  '贾',
  '夏',
  '韦',
  '付',
  '方',
  '白',
  '邹',
  '孟',
  '熊',
  '秦',
  '邱',
  '江',
  '尹',
  '薛',
  '闫',
  '段',
  '雷',
  '侯',
  '龙',
  '史',
  '陶',
  '黎',
  '贺',
  '顾',
  '毛',
  '郝',
  '龚',
  '邵',
  '万',
  '钱',
  '单',
  '仇',
];
const MALE_CHARS = '伟强磊军洋勇杰涛明超辉刚健鹏华飞鑫浩宇轩博文俊凯晨阳然睿哲浩子豪毅航宏志嘉铭泽昊天皓一诚';
const FEMALE_CHARS = '芳娜敏静丽艳娟霞婷雪琳慧颖欣怡梓萱涵悦彤妍诗雨晴可馨佳琪瑶思佩蕾月玲茜然菲露梦';
const DIVISIONS = [
  '410102',
  '410103',
  '410105',
  '410108',
  '410122',
  '410181',
  '410302',
  '410305',
  '411002',
  '411102',
];
const CITY_OF: Record<string, string> = {
  '4101': '郑州市',
  '4103': '洛阳市',
  '4110': '许昌市',
  '4111': '漯河市',
};
const DISTRICTS = [
  '中原区',
  '二七区',
  '金水区',
  '惠济区',
  '中牟县',
  '巩义市',
  '老城区',
  '涧西区',
  '魏都区',
  '源汇区',
];
const ROADS = [
  '建设路',
  '人民路',
  '文化路',
  '农业路',
  '花园路',
  '纬五路',
  '中州大道',
  '解放路',
  '南阳路',
  '嵩山路',
];
const MAJORS = [
  { name: '计算机应用', short: '计算机' },
  { name: '电子商务', short: '电商' },
  { name: '会计事务', short: '会计' },
  { name: '汽车运用与维修', short: '汽修' },
  { name: '机电技术应用', short: '机电' },
  { name: '幼儿保育', short: '幼保' },
];
const K12_GRADES = ['七年级', '八年级', '九年级'];
/** The grades of each K-12 stage and the age of a pupil entering the first of them. */
const K12_STAGES = {
  primary: { grades: ['四年级', '五年级', '六年级'], age: 9 },
  junior: { grades: K12_GRADES, age: 12 },
  senior: { grades: ['高一', '高二', '高三'], age: 15 },
} as const;
const SPECIALTIES = ['书法', '绘画', '钢琴', '篮球', '足球', '舞蹈', '编程', '围棋', '朗诵', '田径'];
const EMPLOYERS = [
  '郑州市第一人民医院',
  '河南省电力公司',
  '金水区建设路小学',
  '个体经营',
  '郑州宇通客车股份有限公司',
  '中牟县农业农村局',
  '务农',
  '洛阳轴承集团',
];
const POSITIONS = ['职员', '教师', '工程师', '经理', '司机', '会计', '医生', '无'];
const POSTCODES: Record<string, string> = {
  '4101': '450000',
  '4103': '471000',
  '4110': '461000',
  '4111': '462000',
};
const CLASS_SIZE = 45;

function pickSurname(rnd: Random): string {
  return rnd.chance(0.012) ? rnd.pick(COMPOUND_SURNAMES) : rnd.pick(SURNAMES);
}

function pickGiven(rnd: Random, gender: '1' | '2'): string {
  const pool = gender === '1' ? MALE_CHARS : FEMALE_CHARS;
  const givenLength = rnd.chance(0.72) ? 2 : 1;
  let given = '';
  for (let i = 0; i < givenLength; i++) given += pool[rnd.int(0, pool.length - 1)];
  return given;
}

function phone(rnd: Random): string {
  const prefixes = [
    '130',
    '131',
    '132',
    '135',
    '136',
    '137',
    '138',
    '139',
    '150',
    '151',
    '155',
    '158',
    '176',
    '177',
    '185',
    '186',
    '188',
    '199',
  ];
  return rnd.pick(prefixes) + String(rnd.int(0, 99_999_999)).padStart(8, '0');
}

function birthDate(rnd: Random, year: number): string {
  const month = rnd.int(1, 12);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(rnd.int(1, days)).padStart(2, '0')}`;
}

function address(rnd: Random, division: string): string {
  const city = CITY_OF[division.slice(0, 4)] ?? '郑州市';
  const district = DISTRICTS[DIVISIONS.indexOf(division)] ?? '金水区';
  return `河南省${city}${district}${rnd.pick(ROADS)}${rnd.int(1, 300)}号`;
}

/** Generates `count` students; the same options always give the same students, in the same order. */
export function generateStudents(options: SeedOptions): Student[] {
  const rnd = createRandom(options.seed);
  const schoolType = options.schoolType ?? 'vocational';
  const schoolYear = options.schoolYear ?? 2026;
  const schoolId = options.schoolId ?? 'S41010501';
  const orgPath = options.orgPath ?? `/41/4101/410105/${schoolId}/`;
  const at = options.at ?? `${schoolYear}-09-01T08:00:00.000+08:00`;
  const by = options.by ?? 'seed';
  const checkedBy = options.checkedByName ?? by;
  const usedIds = new Set<string>();
  const students: Student[] = [];
  // The national table's further fields come from a second generator, so the fields seeded before them
  // (names, IDs, classes, the demo school's search examples) stay what they were for every seed.
  const extra = createRandom((options.seed * 7919 + 104729) >>> 0);
  const gradeCount = 3;
  const classesPerGrade = Math.max(1, Math.ceil(options.count / CLASS_SIZE / gradeCount));

  for (let i = 0; i < options.count; i++) {
    const classIndex = Math.floor(i / CLASS_SIZE);
    const gradeIndex = Math.min(gradeCount - 1, Math.floor(classIndex / classesPerGrade));
    const classInGrade = classIndex - gradeIndex * classesPerGrade;
    const enrolYear = schoolYear - gradeIndex;
    const gender: '1' | '2' = rnd.chance(0.52) ? '1' : '2';
    const surname = pickSurname(rnd);
    const name = surname + pickGiven(rnd, gender);
    const division = rnd.pick(DIVISIONS);
    const stage = K12_STAGES[options.k12Level ?? 'junior'];
    const born = birthDate(
      rnd,
      enrolYear - (schoolType === 'vocational' ? 15 : stage.age) - (rnd.chance(0.2) ? 1 : 0),
    );
    let idNo = '';
    do {
      const seq = rnd.int(0, 499) * 2 + (gender === '1' ? 1 : 0);
      idNo = makeIdNumber(division, born, seq);
    } while (usedIds.has(idNo));
    usedIds.add(idNo);

    let grade: string;
    let classId: string;
    let major: string | undefined;
    if (schoolType === 'vocational') {
      const m = MAJORS[classInGrade % MAJORS.length] ?? MAJORS[0];
      const nth = Math.floor(classInGrade / MAJORS.length) + 1;
      grade = `${enrolYear}级`;
      classId = `${m?.short}${String(enrolYear).slice(2)}${String(nth).padStart(2, '0')}班`;
      major = m?.name;
    } else {
      grade = stage.grades[gradeIndex] ?? stage.grades[0];
      classId = `${grade}(${classInGrade + 1})班`;
    }
    const seat = (i % CLASS_SIZE) + 1;
    const guardians: Guardian[] = [{ name: surname + pickGiven(rnd, '1'), relation: '1', phone: phone(rnd) }];
    if (rnd.chance(0.6))
      guardians.push({ name: pickSurname(rnd) + pickGiven(rnd, '2'), relation: '2', phone: phone(rnd) });
    const home = address(rnd, division);
    const bornYear = Number(born.slice(0, 4));
    guardians.forEach((g, k) => {
      const parentBorn = birthDate(extra, bornYear - extra.int(24, 36));
      const seq = extra.int(0, 499) * 2 + (k === 0 ? 1 : 0);
      g.address = home;
      g.hukouPlace = `${division}000000`;
      g.isGuardian = '1';
      g.idType = '1';
      g.idNo = makeIdNumber(division, parentBorn, seq);
      g.ethnicity = '01';
      g.employer = extra.pick(EMPLOYERS);
      g.position = extra.pick(POSITIONS);
    });
    const archive = emptyArchive(schoolType);
    for (const [part, item] of Object.entries(archive)) {
      if (item.state === 'missing' && rnd.chance(0.93))
        archive[part] = { state: 'present', checkedAt: at, checkedBy };
    }

    const student: Student = {
      id: seededId(rnd),
      schoolId,
      orgPath,
      name,
      gender,
      birthDate: born,
      idType: '1',
      idNo,
      ethnicity: rnd.chance(0.94) ? '01' : rnd.pick(['03', '02', '06', '08', '11', '15']),
      grade,
      classId,
      statusNo: `G${idNo}`,
      schoolNo: `${enrolYear}${String(classInGrade + 1).padStart(2, '0')}${String(seat).padStart(2, '0')}`,
      namePinyin: namePinyin(name),
      nationality: 'CHN',
      nativePlace: `河南${CITY_OF[division.slice(0, 4)] ?? '郑州市'}`.replace(/市$/, ''),
      birthPlace: `${division}000000`,
      overseas: '0',
      politicalStatus: rnd.chance(0.62) ? '03' : '13',
      health: rnd.chance(0.97) ? '10' : '20',
      hukouType: rnd.chance(0.55) ? '1' : '2',
      hukouPlace: `${division}000000`,
      address: home,
      phone: phone(rnd),
      guardians,
      enrolYearMonth: `${enrolYear}09`,
      enrolMethod: schoolType === 'vocational' ? '21' : '11',
      attendMode: rnd.chance(0.4) ? '2' : '1',
      source: schoolType === 'vocational' ? '应届初中毕业生' : '小学毕业生',
      status: 'enrolled',
      archive,
      updatedAt: at,
      updatedBy: by,
    };
    const issued = `${enrolYear - extra.int(0, 2)}-${String(extra.int(1, 12)).padStart(2, '0')}-${String(extra.int(1, 28)).padStart(2, '0')}`;
    student.idValidity = `${issued}至${Number(issued.slice(0, 4)) + (Number(born.slice(0, 4)) + 16 > Number(issued.slice(0, 4)) ? 5 : 10)}${issued.slice(4)}`;
    student.classNo = String(seat).padStart(2, '0');
    student.mailAddress = home;
    student.homeAddress = home;
    student.postcode = POSTCODES[division.slice(0, 4)] ?? '450000';
    if (extra.chance(0.3)) student.specialty = extra.pick(SPECIALTIES);
    if (extra.chance(0.2))
      student.email = `${student.namePinyin?.replace(/\s+/g, '').toLowerCase() ?? 'xs'}${extra.int(10, 99)}@example.cn`;
    if (schoolType === 'k12') {
      student.onlyChild = extra.chance(0.3) ? '1' : '0';
      student.preschool = extra.chance(0.95) ? '1' : '0';
      student.leftBehind = extra.chance(0.08) ? (extra.chance(0.5) ? '1' : '2') : '0';
      student.migrantChild = extra.chance(0.1) ? '1' : '0';
      student.orphan = '0';
      student.martyrChild = '0';
      student.inclusiveStudy = '0';
      student.disability = '0';
      student.govFundedPlace = '0';
      student.needsAid = extra.chance(0.05) ? '1' : '0';
      student.oneSubsidy = '0';
      student.commuteKm = extra.int(2, 150) / 10;
      student.commuteMode = extra.pick(['1', '2', '3', '4']);
      student.schoolBus = '0';
    }
    if (schoolType === 'vocational') {
      student.major = major;
      student.schoolingYears = 3;
      student.studyForm = rnd.chance(0.03) ? '2' : '1';
      student.admissionType = '统招';
      student.aid = { grant: rnd.chance(0.2), feeWaiver: rnd.chance(0.9), lowIncome: rnd.chance(0.05) };
    }
    students.push(student);
  }
  return students;
}
